using System.Net;
using System.Text.RegularExpressions;
using EdgeMeter.Host.Tests.Support;

namespace EdgeMeter.Host.Tests.Demo;

/// <summary>
/// `demo --keep DIR` leaves a web console account; the receiver run again on the kept configuration lets it in.
/// `demo --hold` keeps the chain running after the summary until SIGTERM (or Ctrl+C).
/// </summary>
public sealed partial class DemoConsoleTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgemeter-demo-console-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_kept_console_account_signs_in_and_sees_the_demos_gateway()
    {
        var run = CliRun.Of("demo", "--duration", "6", "--simulated-days", "0", "--gateways", "1", "--meters", "1", "--keep", _directory);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("console-account.txt", run.Out, StringComparison.Ordinal);
        var account = File.ReadAllLines(Path.Combine(_directory, "console-account.txt")).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        var config = account["run the receiver again"].Split("--config ")[1];

        using var receiver = ChildProcess.StartDotnet("edgemeter-receiver.dll", "run", "--config", config);
        var console = new Uri(account["console"]);
        await receiver.WaitForPortAsync(console.Port, "the receiver's admin address");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = console };
        var login = await http.GetStringAsync("/console/login", TestContext.Current.CancellationToken);
        var csrf = Csrf().Match(login).Groups[1].Value;
        var signedIn = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf"] = csrf, ["user"] = account["user"], ["password"] = account["password"],
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode); // followed the redirect to the fleet
        var fleet = await signedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("data-gateway=\"gw-01\"", fleet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_keeps_the_chain_running_after_the_summary_until_sigterm()
    {
        using var demo = ChildProcess.StartDotnet("edgemeter.dll", "demo", "--duration", "6", "--simulated-days", "0", "--gateways", "1", "--meters", "1", "--hold");
        Assert.True(demo.WaitForOutput("holding the chain", TimeSpan.FromMinutes(3)), demo.Output);
        var holding = Holding().Match(demo.Output);
        Assert.True(holding.Success, demo.Output);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(holding.Groups[1].Value) };
        var login = await http.GetStringAsync("/console/login", TestContext.Current.CancellationToken);

        var signedIn = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf"] = Csrf().Match(login).Groups[1].Value, ["user"] = holding.Groups[2].Value, ["password"] = holding.Groups[3].Value,
        }), TestContext.Current.CancellationToken);
        Assert.Contains("data-gateway=\"gw-01\"", await signedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(demo.HasExited);
        using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(demo.WaitForExit(TimeSpan.FromMinutes(1)), demo.Output);
        Assert.Contains("stopping the chain", demo.Output, StringComparison.Ordinal);
        Assert.True(demo.Process.ExitCode == 0, demo.Output);
        using var after = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri(new Uri(holding.Groups[1].Value), "/console/login"), TestContext.Current.CancellationToken)); // the chain stopped with it
    }

    [GeneratedRegex(@"web console (\S+) \(user (\S+), password (\S+)\)")]
    private static partial Regex Holding();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
