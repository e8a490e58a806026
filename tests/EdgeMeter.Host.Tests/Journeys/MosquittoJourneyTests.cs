using System.Text.Json.Nodes;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>
/// IT's journey with an external broker, from the docs: the test certificate of docs/receiver.md's quick start, the
/// documented mosquitto.conf and the Mosquitto ACL of docs/mqtt-topics.md, a real Mosquitto with TLS and
/// `use_username_as_clientid`; the gateway provisioned with the broker's CA and imported as README shows, the
/// receiver in External mode trusting the same CA. Changed from the docs, and only that: the listener's port and the
/// files' paths (this is not /etc), the certificate's IP address (127.0.0.1), and `user root` when the test runs as
/// root (Mosquitto would drop to its own user, who cannot read a scratch directory's 0600 key).
/// </summary>
[Collection(FixedPortsCollection.Name)]
public sealed class MosquittoJourneyTests : IDisposable
{
    private const string ReceiverPassword = "receiver-broker-password";
    private readonly JourneyShell _shell = new();

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task A_gateway_reaches_the_receiver_through_mosquitto_set_up_as_documented_over_tls_with_the_acl()
    {
        var mosquitto = Peers.Require("mosquitto", "mosquitto");
        var mosquittoPasswd = Peers.Require("mosquitto_passwd", "mosquitto");
        var port = FreePort.Next();
        var receiverStart = DocCommands.Of("docs/receiver.md", "## Quick start");
        var certificate = DocCommands.Of("docs/receiver.md", "## Quick start", index: 1);
        var gateway = DocCommands.Of("README.md", "### The gateway on a PC");

        // The broker, as docs/receiver.md and docs/mqtt-topics.md write it.
        _shell.Environment["PFX_PASSWORD"] = "journey";
        foreach (var command in certificate)
        {
            _shell.Run(command.Replace("IP:192.168.10.5", "IP:127.0.0.1", StringComparison.Ordinal));
        }

        File.WriteAllLines(_shell.PathOf("acl"), DocCommands.Block("docs/mqtt-topics.md", "## Broker ACL expectations", "```"));
        File.WriteAllLines(_shell.PathOf("mosquitto.conf"), BrokerConfiguration(port));
        _shell.Run($"{mosquittoPasswd} -c -b passwd svc.receiver {ReceiverPassword}");

        // The gateway: provisioned for that broker (README, plus where the broker is and its CA), its broker account made.
        _shell.Run(gateway.Find(" provision ") + $" --mqtt-host 127.0.0.1 --mqtt-port {port} --tls --ca receiver.crt");
        var deviceConfig = JsonNode.Parse(File.ReadAllText(_shell.PathOf("provision/gw-bench-01/device/gateway.json")))!;
        _shell.Run($"{mosquittoPasswd} -b passwd gw-bench-01 {(string)deviceConfig["mqtt"]!["password"]!}");
        using var broker = _shell.Start($"{mosquitto} -c mosquitto.conf");
        await broker.WaitForPortAsync(port, "mosquitto's TLS listener");

        // The receiver: the example, switched to the external broker (docs/receiver.md, Ingest.External), then the import.
        _shell.Run(receiverStart.Find("cp examples/receiver/receiver.json receiver.json"));
        UseExternalBroker(port);
        _shell.Run(gateway.Find(" gateways import "));
        _shell.Run(receiverStart.Find(" check-config "));
        var receiver = _shell.Start(receiverStart.Find(" run --config "));
        await Eventually.Until(() => receiver.HasExited || receiver.Output.Contains("receiver running", StringComparison.Ordinal), "the receiver to start", timeoutSeconds: 60);
        Assert.False(receiver.HasExited, receiver.Output);

        var meters = _shell.Start(DocCommands.Of("README.md", "### Bench tools: simulated meters, read, scan").Find(" sim --listen "));
        await meters.WaitForPortAsync(4001, "the simulated meters");
        var pcGateway = _shell.Start(gateway.Find(" gateway --config "));

        using var http = new HttpClient();
        await Eventually.Until(() => JourneyShell.Stored(http) >= 6, "six readings through Mosquitto", timeoutSeconds: 150);
        // The gateway says so in its progress line, printed every few seconds: the readings may arrive before the first.
        await Eventually.Until(() => pcGateway.Output.Contains("; connected", StringComparison.Ordinal), "the gateway's progress line saying connected", timeoutSeconds: 60);
        Assert.DoesNotContain("TLS trusts the system store only", pcGateway.Output, StringComparison.Ordinal);
    }

    private IEnumerable<string> BrokerConfiguration(int port)
    {
        var documented = DocCommands.Block("docs/receiver.md", "### External broker (Mosquitto, EMQX)", "```");
        foreach (var line in documented)
        {
            yield return line
                .Replace("listener 8883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/etc/mosquitto/ca.crt", _shell.PathOf("receiver.crt"), StringComparison.Ordinal)
                .Replace("/etc/mosquitto/server.crt", _shell.PathOf("receiver.crt"), StringComparison.Ordinal)
                .Replace("/etc/mosquitto/server.key", _shell.PathOf("receiver.key"), StringComparison.Ordinal)
                .Replace("/etc/mosquitto/passwd", _shell.PathOf("passwd"), StringComparison.Ordinal)
                .Replace("/etc/mosquitto/acl", _shell.PathOf("acl"), StringComparison.Ordinal);
        }

        yield return $"persistence_location {_shell.Directory}/";
        if (Environment.UserName == "root")
        {
            yield return "user root";
        }
    }

    private void UseExternalBroker(int port)
    {
        var path = _shell.PathOf("receiver.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["Ingest"] = new JsonObject
        {
            ["Mode"] = "External",
            ["External"] = new JsonObject
            {
                ["Host"] = "127.0.0.1", ["Port"] = port, ["ClientId"] = "svc.receiver", ["Username"] = "svc.receiver", ["Password"] = ReceiverPassword,
                ["UseTls"] = true, ["CaFile"] = "receiver.crt",
            },
        };
        File.WriteAllText(path, config.ToJsonString());
    }
}
