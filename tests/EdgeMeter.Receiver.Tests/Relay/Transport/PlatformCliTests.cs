using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Platform;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Cli;

namespace EdgeMeter.Receiver.Tests.Relay.Transport;

/// <summary>`platform protect-password` and `platform check` as an integrator runs them against a province's settings.</summary>
public sealed class PlatformCliTests : IDisposable
{
    private const string Sm4Spec = "mode=ecb,key=31323334353637383930616263646566,output=hexupper";
    private readonly TestPki _pki = TestPki.Create("cli");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Protect_password_prints_what_requestAK_sends()
    {
        var config = WriteConfig("https://platform.example/api/", "unused");

        var (exit, output, _) = await RunAsync("edgemeter-demo\n", "platform", "protect-password", "--config", config, "--platform", "provincial");

        Assert.Equal(ExitCodes.Ok, exit);
        var sent = output.Trim();
        Assert.Equal(new Sm4PasswordCipher(Sm4PasswordOptions.Parse(Sm4Spec)).Protect("edgemeter-demo"), sent);
        Assert.Equal(sent.ToUpperInvariant(), sent);
        Assert.Equal(32, sent.Length);
    }

    [Fact]
    public async Task Check_logs_in_over_mutual_TLS_and_prints_versions_and_token_validity()
    {
        await using var sim = await StartSimAsync();
        var config = WriteConfig(sim.BaseAddress.ToString(), PlatformSimOptions.DefaultPassword);

        var (exit, output, error) = await RunAsync("", "platform", "check", "--config", config, "--platform", "provincial");

        Assert.True(exit == ExitCodes.Ok, output + error);
        Assert.Contains($"provincial {PlatformSimOptions.DefaultEnterpriseCode}: logged in at {sim.BaseAddress}", output, StringComparison.Ordinal);
        Assert.Matches(@"token valid from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Beijing time\)", output);
        Assert.Contains("regVersion 1.0, dicVersion 1.0", output, StringComparison.Ordinal);
        Assert.Empty(sim.Records);
    }

    [Fact]
    public async Task Check_with_a_wrong_password_fails_with_the_reason_and_a_hint()
    {
        await using var sim = await StartSimAsync();
        var config = WriteConfig(sim.BaseAddress.ToString(), "not-the-password");

        var (exit, output, error) = await RunAsync("", "platform", "check", "--config", config, "--platform", "provincial");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("FAILED (403): requestAK: enterpriseCode/password: not recognised", output, StringComparison.Ordinal);
        Assert.Contains("hint: login refused", output, StringComparison.Ordinal);
        Assert.Contains("1 of 1 enterprises could not log in to provincial", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_platform_is_a_usage_error()
    {
        var config = WriteConfig("https://platform.example/api/", "pw");

        var (exit, _, error) = await RunAsync("", "platform", "check", "--config", config, "--platform", "national");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--platform national: no such platform (configured: provincial)", error, StringComparison.Ordinal);
    }

    private async Task<RunningPlatformSim> StartSimAsync() =>
        await PlatformSimulator.StartAsync(
            new PlatformSimOptions { ServerCertificate = _pki.Server, ClientCertificateAuthorities = _pki.CaCollection, PasswordProtection = Sm4PasswordOptions.Parse(Sm4Spec) },
            ["https://127.0.0.1:0"],
            Ct);

    private string WriteConfig(string baseAddress, string password)
    {
        var enterprise = PlatformSimOptions.DefaultEnterpriseCode;
        var config = new JsonObject
        {
            ["Enterprises"] = new JsonArray(new JsonObject { ["Code"] = enterprise, ["Platforms"] = new JsonArray("provincial") }),
            ["Platforms"] = new JsonArray(new JsonObject
            {
                ["Name"] = "provincial",
                ["Http"] = new JsonObject
                {
                    ["BaseAddress"] = baseAddress,
                    ["EnterprisePasswords"] = new JsonObject { [enterprise] = password },
                    ["CaBundleFile"] = "ca.pem",
                    ["TrustSystemStore"] = false,
                    ["ClientCertificateFile"] = "client.pem",
                    ["ClientKeyFile"] = "client.key",
                    ["PasswordProtection"] = new JsonObject { ["Mode"] = "Ecb", ["Key"] = "31323334353637383930616263646566", ["Output"] = "HexUpper" },
                },
            }),
        };
        var path = Path.Combine(_pki.Directory, "receiver.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, new StringReader(input));
        return (exit, output.ToString(), error.ToString());
    }
}
