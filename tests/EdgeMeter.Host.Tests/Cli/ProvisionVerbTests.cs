using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Keys;
using EdgeMeter.Host.Cli;

namespace EdgeMeter.Host.Tests.Cli;

/// <summary>`edgemeter provision`, run in-process into a temporary directory.</summary>
public sealed class ProvisionVerbTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "edgemeter-provision-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Theory]
    [InlineData("GW-0001")]
    [InlineData("-gw")]
    [InlineData("gw_1")]
    [InlineData("gw.1")]
    [InlineData("a23456789012345678901234567890123")]
    public void A_bad_gateway_id_is_refused_by_name_with_exit_2(string id)
    {
        var (exit, output, error) = Run("provision", "--gateway", id, "--out", _out);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Contains($"'{id}'", error);
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public void Writes_the_key_config_deploy_list_and_receiver_entry()
    {
        var (exit, output, error) = Run("provision", "--gateway", "gw-0001", "--board", "ESP32_PSRAM_REV3", "--out", _out, "--mqtt-host", "receiver.plant.test", "--tls");

        Assert.True(exit == 0, error);
        Assert.Equal("", error);
        Assert.Contains("nanoff --filedeployment", output);

        var deviceKey = ReadKey(Path.Combine(_out, "device", "key.json"));
        Assert.Equal(("gw-0001", 1), (deviceKey.GatewayId, deviceKey.KeyVersion));
        Assert.Equal(32, deviceKey.Key.Length);
        var receiverKey = ReadKey(Path.Combine(_out, "receiver-key.json"));
        Assert.Equal(deviceKey.Key, receiverKey.Key);
        Assert.NotNull(KeyRegistry.Load(Path.Combine(_out, "receiver-key.json")).FindKey("gw-0001", 1));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_out, "receiver-key.json")));
        }

        var config = Json(Path.Combine(_out, "device", "gateway.json"));
        Assert.Equal("gw-0001", (string)config["gatewayId"]!);
        Assert.Equal(1, (int)config["keyVersion"]!);
        Assert.Equal("wifi", (string)config["network"]!["mode"]!);
        Assert.Equal("receiver.plant.test", (string)config["mqtt"]!["host"]!);
        Assert.Equal(8883, (int)config["mqtt"]!["port"]!);
        Assert.Equal("COM2", (string)config["buses"]![0]!["uart"]!);
        Assert.Equal("bus1", (string)config["meters"]![0]!["bus"]!);

        var deploy = Json(Path.Combine(_out, "deploy.json"));
        Assert.Null(deploy["SerialPort"]);
        var files = deploy["Files"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.Equal(
            ["I:\\edgemeter\\key.json", "I:\\edgemeter\\gateway.json", "I:\\edgemeter\\board.txt"],
            files.Select(f => (string)f["DestinationFilePath"]!).ToArray());
        foreach (var file in files)
        {
            var source = (string)file["SourceFilePath"]!;
            Assert.True(Path.IsPathFullyQualified(source), source);
            Assert.True(File.Exists(source), source);
        }

        Assert.Equal("ESP32_PSRAM_REV3", File.ReadAllText(Path.Combine(_out, "device", "board.txt")).Trim());
    }

    [Fact]
    public void Ethernet_boards_get_ethernet_and_the_ca_and_serial_port_are_deployed()
    {
        var ca = Path.Combine(Path.GetTempPath(), "edgemeter-test-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        try
        {
            var (exit, _, error) = Run("provision", "--gateway", "plant7-gw2", "--board", "ESP32_WT32_ETH01", "--out", _out, "--ca", ca, "--serial-port", "/dev/ttyUSB0");

            Assert.True(exit == 0, error);
            var config = Json(Path.Combine(_out, "device", "gateway.json"));
            Assert.Equal("ethernet", (string)config["network"]!["mode"]!);
            Assert.Equal("I:\\edgemeter\\ca.pem", (string)config["mqtt"]!["caFile"]!);
            var deploy = Json(Path.Combine(_out, "deploy.json"));
            Assert.Equal("/dev/ttyUSB0", (string)deploy["SerialPort"]!);
            Assert.Contains(deploy["Files"]!.AsArray(), f => (string)f!["DestinationFilePath"]! == "I:\\edgemeter\\ca.pem");
            Assert.Equal(File.ReadAllText(ca), File.ReadAllText(Path.Combine(_out, "device", "ca.pem")));
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void An_existing_key_is_kept_unless_forced()
    {
        Assert.Equal(0, Run("provision", "--gateway", "gw-0001", "--out", _out).Exit);
        var keyPath = Path.Combine(_out, "device", "key.json");
        var first = File.ReadAllText(keyPath);

        var (exit, output, error) = Run("provision", "--gateway", "gw-0001", "--out", _out);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("", output);
        Assert.Contains("--force", error);
        Assert.Equal(first, File.ReadAllText(keyPath));

        Assert.Equal(0, Run("provision", "--gateway", "gw-0001", "--out", _out, "--force").Exit);
        Assert.NotEqual(ReadKey(Path.Combine(_out, "receiver-key.json")).Key, KeyOf(first));
        Assert.Equal(ReadKey(keyPath).Key, ReadKey(Path.Combine(_out, "receiver-key.json")).Key);
    }

    [Fact]
    public void A_release_key_is_checked_and_deployed()
    {
        Assert.Equal(0, Run("provision", "--gateway", "release-src", "--out", _out + "-release").Exit);
        try
        {
            var releaseKey = Path.Combine(_out + "-release", "receiver-key.json");

            var (exit, _, error) = Run("provision", "--gateway", "gw-0001", "--out", _out, "--release-key", releaseKey);

            Assert.True(exit == 0, error);
            Assert.Equal(ReadKey(releaseKey).Key, ReadKey(Path.Combine(_out, "device", "release-key.json")).Key);
            Assert.Contains(Json(Path.Combine(_out, "deploy.json"))["Files"]!.AsArray(), f => (string)f!["DestinationFilePath"]! == "I:\\edgemeter\\release-key.json");

            File.WriteAllText(releaseKey, "{\"keys\":[]}");
            var refused = Run("provision", "--gateway", "gw-0002", "--out", _out + "-2", "--release-key", releaseKey);
            Assert.Equal(ExitCodes.Usage, refused.Exit);
            Assert.Contains("exactly one key", refused.Error);
        }
        finally
        {
            Directory.Delete(_out + "-release", recursive: true);
        }
    }

    [Fact]
    public void An_unknown_board_is_refused_with_the_known_ones()
    {
        var (exit, _, error) = Run("provision", "--gateway", "gw-0001", "--board", "ESP32_C3", "--out", _out);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'ESP32_C3'", error);
        Assert.Contains("ESP32_REV3", error);
    }

    private static (string GatewayId, int KeyVersion, byte[] Key) ReadKey(string path) => Single(File.ReadAllBytes(path));

    private static byte[] KeyOf(string keyFileText) => Single(System.Text.Encoding.UTF8.GetBytes(keyFileText)).Key;

    private static (string GatewayId, int KeyVersion, byte[] Key) Single(byte[] json)
    {
        var keys = new List<(string, int, byte[])>();
        Assert.True(PacketKeyFile.TryRead(json, 0, json.Length, (id, version, key) => keys.Add((id, version, key)), out var error), error);
        return Assert.Single(keys);
    }

    private static JsonObject Json(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = EdgeMeterCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
