using System.Diagnostics;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>`edgemeter gateway` as a real process, killed with SIGKILL at random moments and restarted.</summary>
public class GatewayKillTests
{
    [Fact]
    public async Task Kill_9_at_random_moments_loses_no_reading_and_duplicates_only_resend_identical_readings()
    {
        await using var rig = new GatewayRig();
        await rig.Broker.StartAsync();
        var trace = Path.Combine(rig.Directory, "trace.txt");
        var random = new Random(20261126);

        for (var kill = 0; kill < 3; kill++)
        {
            using var gateway = StartGateway(rig, trace);
            await Task.Delay(random.Next(1500, 4000), TestContext.Current.CancellationToken);
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using (var last = StartGateway(rig, trace))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!AllTracedDelivered(rig, trace))
            {
                Assert.True(DateTime.UtcNow < deadline, "traced readings did not all arrive within 30 s");
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }

            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var traced = Traced(trace);
        var delivered = rig.Delivered();
        Assert.True(traced.Count >= 20, $"only {traced.Count} readings were taken");
        foreach (var group in delivered.GroupBy(d => d.N))
        {
            // A reading sent again after a kill carries the same n and is identical in every copy.
            Assert.Single(group.Select(d => d.Text).Distinct());
            if (traced.TryGetValue(group.Key, out var text))
            {
                Assert.Equal(text, group.First().Text);
            }
        }

        var highest = delivered.Max(d => d.N);
        Assert.Equal(Enumerable.Range(1, (int)highest).Select(i => (long)i), delivered.Select(d => d.N).Distinct().Order());
    }

    private static bool AllTracedDelivered(GatewayRig rig, string trace)
    {
        var delivered = rig.Delivered().Select(d => d.N).ToHashSet();
        return Traced(trace).Keys.All(delivered.Contains);
    }

    private static Dictionary<long, string> Traced(string path)
    {
        var readings = new Dictionary<long, string>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length == 5)
            {
                readings[long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)] = string.Join(' ', parts[1..]);
            }
        }

        return readings;
    }

    private static Process StartGateway(GatewayRig rig, string trace)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "edgemeter.dll"), "gateway", "--config", rig.ConfigPath, "--keys", rig.KeysPath,
            "--data", rig.DataPath, "--trace", trace, "--log-every", "1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
