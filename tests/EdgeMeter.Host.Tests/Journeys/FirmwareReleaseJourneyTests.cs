using System.Net.Sockets;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Host.Cli;
using EdgeMeter.Pc.Runtime;
using EdgeMeter.Pc.Update;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>
/// A firmware update as nf-boards.md section 10 tells it: `edgemeter release keygen`, `release sign`, the directory
/// served by a plain web server (Python's http.server), and a PC gateway going through the board's download and
/// checks with the printed arguments.
/// </summary>
public sealed class FirmwareReleaseJourneyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-release-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_signed_release_served_by_a_plain_web_server_is_downloaded_and_verified_by_a_pc_gateway()
    {
        var python = Peers.Require("python3", "python3");
        var (served, port) = (Path.Combine(_directory, "www"), FreePort.Next());
        var (arguments, data) = Release($"http://127.0.0.1:{port}/edgemeter/1.5.0/", Path.Combine(served, "edgemeter", "1.5.0"));
        using var server = ChildProcess.Start(python, "-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", served);
        await ListeningAsync(port, server);
        var updater = new PcFirmwareUpdater(data);

        var outcome = updater.Stage((string)arguments["url"]!, (string)arguments["sha256"]!, (string)arguments["signature"]!);

        Assert.True(outcome is null, outcome);
        Assert.Equal(Path.Combine(data.UpdatesDirectory, "1.5.0"), updater.LastStaged);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "EdgeMeter.Core.pe")), File.ReadAllBytes(Path.Combine(updater.LastStaged!, "EdgeMeter.Core.pe")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "EdgeMeter.Firmware.pe")), File.ReadAllBytes(Path.Combine(updater.LastStaged!, "EdgeMeter.Firmware.pe")));

        // A file changed on the server after signing, a signature under another key, no release key: each refused, nothing kept.
        File.AppendAllText(Path.Combine(served, "edgemeter", "1.5.0", "EdgeMeter.Firmware.pe"), "x");
        Assert.Equal("EdgeMeter.Firmware.pe: larger than 4000 bytes", updater.Stage((string)arguments["url"]!, (string)arguments["sha256"]!, (string)arguments["signature"]!));
        var otherSignature = (string)Release($"http://127.0.0.1:{port}/other/", Path.Combine(_directory, "other"), data.Root + "-other").Arguments["signature"]!;
        Assert.Equal("the manifest's release signature does not match", updater.Stage((string)arguments["url"]!, (string)arguments["sha256"]!, otherSignature));
        File.Delete(data.ReleaseKeyPath);
        Assert.StartsWith("no release key on this gateway", updater.Stage((string)arguments["url"]!, (string)arguments["sha256"]!, (string)arguments["signature"]!), StringComparison.Ordinal);
        Assert.Equal(["1.5.0"], Directory.GetDirectories(data.UpdatesDirectory).Select(Path.GetFileName));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Keygen_refuses_to_overwrite_and_sign_refuses_a_version_the_gateway_would_refuse()
    {
        var key = Path.Combine(_directory, "release-key.json");
        Assert.Equal(ExitCodes.Ok, Cli("release", "keygen", "--out", key).Exit);
        var again = Cli("release", "keygen", "--out", key);
        File.WriteAllBytes(Path.Combine(_directory, "A.pe"), [1, 2, 3]);
        var badVersion = Cli("release", "sign", "--key", key, "--version", "1.5 beta", "--url", "http://127.0.0.1/x/", "--out", Path.Combine(_directory, "out"), Path.Combine(_directory, "A.pe"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (again.Exit, badVersion.Exit));
        Assert.Contains("exists", again.Error, StringComparison.Ordinal);
        Assert.Contains("the gateway would refuse this manifest: line 2 is not understood", badVersion.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    /// <summary>keygen (into the gateway's data directory), two .pe files, sign; the printed command's arguments.</summary>
    private (JsonObject Arguments, GatewayData Data) Release(string url, string output, string? dataRoot = null)
    {
        var data = new GatewayData(dataRoot ?? Path.Combine(_directory, "gateway-data"));
        Assert.Equal(ExitCodes.Ok, Cli("release", "keygen", "--out", data.ReleaseKeyPath, "--force").Exit);
        Assert.Equal(ReleaseVerb.KeyName, Assert.Single(KeyFile.Read(data.ReleaseKeyPath)).GatewayId);
        File.WriteAllBytes(Path.Combine(_directory, "EdgeMeter.Core.pe"), [.. Enumerable.Range(0, 9000).Select(i => (byte)(i * 7))]);
        File.WriteAllBytes(Path.Combine(_directory, "EdgeMeter.Firmware.pe"), [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 13))]);
        var (exit, printed, error) = Cli("release", "sign", "--key", data.ReleaseKeyPath, "--version", "1.5.0", "--url", url, "--out", output,
            Path.Combine(_directory, "EdgeMeter.Core.pe"), Path.Combine(_directory, "EdgeMeter.Firmware.pe"));
        Assert.True(exit == ExitCodes.Ok, error);
        var command = JsonNode.Parse(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
        Assert.Equal("firmware-update", (string)command["name"]!);
        Assert.True(JsonNode.DeepEquals(command, JsonNode.Parse(File.ReadAllText(Path.Combine(output, "firmware-update.json")))));
        return (command["args"]!.AsObject(), data);
    }

    private static (int Exit, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = EdgeMeterCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task ListeningAsync(int port, ChildProcess server)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            Assert.False(server.HasExited, "the web server exited: " + server.Output);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.Fail("the web server did not listen within 10 s");
    }
}
