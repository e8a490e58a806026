using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Config;
using EdgeMeter.Host.Cli;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>
/// The technician's and IT's hand-off, as the docs tell it: `edgemeter provision` per gateway, then
/// `edgemeter-receiver gateways import` of the bundles, then `check-config`. No file is edited by hand.
/// </summary>
public sealed class ProvisioningJourneyTests : IDisposable
{
    private const string Enterprise = "91530100MA6NXKB7X1";
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-journey-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Fifty_gateways_are_provisioned_and_imported_by_a_script_and_every_credential_matches()
    {
        var receiverConfig = WriteReceiverConfig();
        var bundles = new List<string>();
        for (var g = 1; g <= 50; g++)
        {
            var (exit, output, error) = Provision("--gateway", $"plant1-gw{g:D2}", "--enterprise", Enterprise, "--mqtt-host", "receiver.plant.test", "--out", Dir(g));
            Assert.True(exit == ExitCodes.Ok, error);
            Assert.DoesNotContain(KeyOf(g), output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(MqttPasswordOf(g), output, StringComparison.Ordinal);
            bundles.Add(Path.Combine(Dir(g), "receiver-bundle.json"));
        }

        var imported = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, .. bundles]);
        var checkedConfig = await ReceiverAsync(["check-config", "--config", receiverConfig]);

        Assert.True(imported.Exit == ExitCodes.Ok, imported.Error);
        Assert.Contains("50 gateways in", imported.Output, StringComparison.Ordinal);
        Assert.True(checkedConfig.Exit == ExitCodes.Ok, checkedConfig.Error);
        var options = ConfigLoader.Load(receiverConfig, new System.Collections.Hashtable());
        var keys = KeyFile.Read(Path.Combine(_directory, "receiver", "keys.json"));
        for (var g = 1; g <= 50; g++)
        {
            var id = $"plant1-gw{g:D2}";
            var gateway = Assert.Single(options.Gateways, x => x.Id == id);
            Assert.Equal(Enterprise, gateway.Enterprise);
            Assert.True(PasswordHash.Verify(MqttPasswordOf(g), gateway.PasswordHash!), $"{id}: the receiver's hash is of the device's broker password");
            Assert.Equal(KeyOf(g), Convert.ToHexStringLower(Assert.Single(keys, k => k.GatewayId == id).Key));
        }

        Assert.Contains("\"action\":\"gateway.import\",\"target\":\"plant1-gw50\"", await File.ReadAllTextAsync(Path.Combine(_directory, "receiver", "audit.log"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public void A_provisioned_configuration_without_a_wifi_network_is_accepted_by_the_gateway()
    {
        var (exit, _, error) = Provision("--gateway", "gw-wifi", "--board", "ESP32_REV3", "--out", Dir(1));
        var bytes = File.ReadAllBytes(Path.Combine(Dir(1), "device", "gateway.json"));

        var config = GatewayConfigReader.Read(bytes, bytes.Length, out var problems);

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.True(config is not null, string.Join("; ", problems));
        Assert.Equal(("wifi", ""), (config!.Network.Mode, config.Network.WifiSsid));
        Assert.Equal(("gw-wifi", MqttPasswordOf(1)), (config.Mqtt.Username, config.Mqtt.Password));
    }

    [Fact]
    public async Task The_bench_of_the_README_provisioned_from_its_configuration_checks_against_the_example_receiver()
    {
        var receiverConfig = Path.Combine(_directory, "receiver.json");
        File.Copy(Path.Combine(Repo.Root, "examples", "receiver", "receiver.json"), receiverConfig);
        var (exit, _, error) = Provision("--gateway", "gw-bench-01", "--enterprise", Enterprise, "--from", Path.Combine(Repo.Root, "examples", "bench-pc.json"), "--out", Dir(1));
        var deviceConfig = Path.Combine(Dir(1), "device", "gateway.json");

        var imported = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--force", Path.Combine(Dir(1), "receiver-bundle.json")]);
        var checkedConfig = await ReceiverAsync(["check-config", "--config", receiverConfig, "--gateway-config", deviceConfig]);

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.True(imported.Exit == ExitCodes.Ok, imported.Error);
        Assert.True(checkedConfig.Exit == ExitCodes.Ok, checkedConfig.Error);
        var bytes = File.ReadAllBytes(deviceConfig);
        var config = GatewayConfigReader.Read(bytes, bytes.Length, out var problems)!;
        Assert.True(problems.Length == 0, string.Join("; ", problems));
        Assert.Equal(("gw-bench-01", "gw-bench-01", 3), (config.GatewayId, config.Mqtt.Username, config.Meters.Length));
        var gateway = Assert.Single(ConfigLoader.Load(receiverConfig, new System.Collections.Hashtable()).Gateways);
        Assert.True(PasswordHash.Verify(config.Mqtt.Password, gateway.PasswordHash!));
    }

    [Fact]
    public async Task Importing_a_gateway_twice_or_into_an_unknown_enterprise_is_refused_and_changes_nothing()
    {
        var receiverConfig = WriteReceiverConfig();
        Assert.Equal(ExitCodes.Ok, Provision("--gateway", "gw-0001", "--out", Dir(1)).Exit);
        var bundle = Path.Combine(Dir(1), "receiver-bundle.json");

        var noEnterprise = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, bundle]);
        var foreign = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--enterprise", "91110000802100433B", bundle]);
        var first = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--enterprise", Enterprise, bundle]);
        var again = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--enterprise", Enterprise, bundle]);

        Assert.Equal(ExitCodes.Usage, noEnterprise.Exit);
        Assert.Contains("give --enterprise CODE", noEnterprise.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, foreign.Exit);
        Assert.Contains("enterprise 91110000802100433B is not in Enterprises[]", foreign.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, first.Exit);
        Assert.Equal(ExitCodes.Failure, again.Exit);
        Assert.Contains("gateway gw-0001 is configured already; --force replaces it", again.Error, StringComparison.Ordinal);
        Assert.Single(ConfigLoader.Load(receiverConfig, new System.Collections.Hashtable()).Gateways);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Import_keeps_the_files_mode_and_the_gateways_own_settings_and_refuses_a_conflicting_enterprise()
    {
        var receiverConfig = WriteReceiverConfig();
        var keyFile = Path.Combine(_directory, "receiver", "keys.json");
        Assert.Equal(ExitCodes.Ok, Provision("--gateway", "gw-0001", "--enterprise", Enterprise, "--out", Dir(1)).Exit);
        var bundle = Path.Combine(Dir(1), "receiver-bundle.json");
        Assert.Equal(ExitCodes.Ok, (await ReceiverAsync(["gateways", "import", "--config", receiverConfig, bundle])).Exit);
        var json = JsonNode.Parse(File.ReadAllText(receiverConfig))!;
        json["Gateways"]![0]!["Platforms"] = new JsonArray("provincial");
        File.WriteAllText(receiverConfig, json.ToJsonString());
        var groupReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(receiverConfig, groupReadable);
        File.SetUnixFileMode(keyFile, groupReadable);

        var conflicting = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--enterprise", "91110000802100433B", "--force", bundle]);
        var forced = await ReceiverAsync(["gateways", "import", "--config", receiverConfig, "--force", bundle]);

        Assert.Equal(ExitCodes.Usage, conflicting.Exit);
        Assert.Contains($"the bundle is for enterprise {Enterprise}, not 91110000802100433B", conflicting.Error, StringComparison.Ordinal);
        Assert.True(forced.Exit == ExitCodes.Ok, forced.Error);
        Assert.Equal(["provincial"], Assert.Single(ConfigLoader.Load(receiverConfig, new System.Collections.Hashtable()).Gateways).Platforms!);
        Assert.Equal((groupReadable, groupReadable), (File.GetUnixFileMode(receiverConfig), File.GetUnixFileMode(keyFile)));
        Assert.True(File.Exists(receiverConfig + ".bak"), "the previous configuration is kept");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Provisioning_from_a_tls_configuration_keeps_tls_and_deploys_the_broker_ca()
    {
        var template = Path.Combine(_directory, "template.json");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "examples", "bench-pc.json")))!;
        config["mqtt"]!["tls"] = true;
        config["mqtt"]!["port"] = 8884;
        File.WriteAllText(template, config.ToJsonString());
        var ca = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

        var (exit, _, error) = Provision("--gateway", "gw-tls", "--from", template, "--mqtt-host", "receiver.plant.test", "--ca", ca, "--out", Dir(1));

        Assert.True(exit == ExitCodes.Ok, error);
        var mqtt = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir(1), "device", "gateway.json")))!["mqtt"]!;
        Assert.Equal((true, 8884, "receiver.plant.test", ProvisionVerb.DeviceCaFile), ((bool)mqtt["tls"]!, (int)mqtt["port"]!, (string)mqtt["host"]!, (string)mqtt["caFile"]!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Dir(1), "device", "gateway.json")));
    }

    private string Dir(int gateway) => Path.Combine(_directory, "provision", $"gw{gateway:D2}");

    private string KeyOf(int gateway) =>
        Convert.ToHexStringLower(KeyFile.Read(Path.Combine(Dir(gateway), "device", "key.json")).Single().Key);

    private string MqttPasswordOf(int gateway) =>
        (string)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir(gateway), "device", "gateway.json")))!["mqtt"]!["password"]!;

    // The receiver's configuration before any gateway: one enterprise, a platform, its password.
    private string WriteReceiverConfig()
    {
        var directory = Path.Combine(_directory, "receiver");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "receiver.json");
        File.WriteAllText(path, $$"""
            {
              "Store": { "Path": "receiver.db" },
              "Keys": { "File": "keys.json" },
              "Enterprises": [ { "Code": "{{Enterprise}}", "Platforms": [ "provincial" ] } ],
              "Gateways": [],
              "Platforms": [ { "Name": "provincial", "Http": { "BaseAddress": "http://127.0.0.1:5080/", "EnterprisePasswords": { "{{Enterprise}}": "edgemeter-demo" } } } ],
              "Admin": { "AuditLog": "audit.log" }
            }
            """);
        return path;
    }

    private static (int Exit, string Output, string Error) Provision(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = EdgeMeterCli.Run(["provision", .. args], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<(int Exit, string Output, string Error)> ReceiverAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, TextReader.Null);
        return (exit, output.ToString(), error.ToString());
    }
}
