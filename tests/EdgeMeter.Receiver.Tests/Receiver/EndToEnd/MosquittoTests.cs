using System.Net.Http.Json;
using System.Text.Json;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>The external-broker mode against a real Mosquitto (Debian package), started by the test.</summary>
public sealed class MosquittoTests : IAsyncLifetime
{
    private const string Mosquitto = "/usr/sbin/mosquitto";
    private const string Energy = "000000000112000001";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);
    private readonly int _port = FreePort.Next();
    private ChildProcess? _mosquitto;
    private RunningPlatformSim? _sim;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Peers.Require(Mosquitto, "mosquitto");
        var config = Path.Combine(_harness.Directory, "mosquitto.conf");
        File.WriteAllText(config, $"listener {_port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n");
        _mosquitto = ChildProcess.Start(Mosquitto, "-c", config);
        await _mosquitto.WaitForPortAsync(_port, "mosquitto to listen");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _harness.DisposeAsync();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }

        _mosquitto?.Dispose();
    }

    [Fact]
    public async Task External_broker_mode_stores_relays_survives_a_receiver_restart_and_delivers_commands()
    {
        _sim = await ReceiverHarness.StartSimAsync("provincial");
        _harness.Options.Ingest.Mode = IngestMode.External;
        _harness.Options.Ingest.External = new ExternalBrokerOptions
        {
            Host = "127.0.0.1", Port = _port, ClientId = "svc.receiver-test", SharedGroup = "receivers", ReconnectDelayMs = 100,
        };
        _harness.AddHttpPlatform("provincial", _sim, batch: true);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial");
        _harness.AddItem(Energy, TestKeys.Gateway1, "000012345678", "00010000");
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_port, password: null, subscribeDown: true)).ResultCode);

        for (var seq = 1; seq <= 5; seq++)
        {
            await PublishAsync(seq);
        }

        // Readings every 5 minutes from 07:05: the quarter hour from 07:15 needs the 07:30 reading, still to come.
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 5, "the first five readings");
        Assert.Empty(_sim.Records);

        // The receiver goes away; the broker keeps what arrives for its persistent session.
        await _harness.StopAsync();
        for (var seq = 6; seq <= 10; seq++)
        {
            await PublishAsync(seq);
        }

        await PublishAsync(3); // a redelivery of a stored packet: acknowledged and dropped
        var receiver = await _harness.StartAsync();
        await Eventually.Until(() => _sim.Records.Count == 2, "the quarter hours completed by the readings published while the receiver was away");
        await Eventually.Until(() => receiver.Metrics.Snapshot().PacketsDuplicate == 1, "the redelivery to be dropped");
        var quarters = new[] { 15, 30 }.Select(m => ReceiverHarness.KeyOf(Energy, StatType.RealTime, TestGateway.Now.AddHours(-1).AddMinutes(m)));
        Assert.Equal(quarters.Order(), _sim.Records.Select(r => r.IdempotencyKey!).Order());
        Assert.All(_sim.Records, r => Assert.Equal("3.0", r.DataValue));
        Assert.Equal(10, _harness.Count("SELECT COUNT(*) FROM readings"));

        // A command goes down through Mosquitto and the reply comes back through it.
        using var admin = _harness.Admin();
        var queued = await admin.PostAsJsonAsync("admin/gateways/gw-0001/commands", new { name = "set-interval", args = new { seconds = "900" } }, Ct);
        var command = JsonDocument.Parse(await queued.Content.ReadAsStringAsync(Ct)).RootElement;
        var delivered = await _gateway.Received.Reader.ReadAsync(Ct);
        Assert.Equal("edgemeter/v1/gw-0001/down", delivered.Topic);
        var commandSeq = command.GetProperty("sequence").GetInt64();
        var reply = await _gateway.PublishAsync(PacketKind.Reply, _gateway.SignReply(100, commandSeq, CommandResult.Ok, "interval 900 s"));
        Assert.True(reply.IsSuccess);
        await Eventually.Until(
            () => _harness.Strings($"SELECT state || ' ' || result FROM commands WHERE seq = {commandSeq}").SequenceEqual(["replied ok"]), "the reply through Mosquitto");
    }

    private async Task PublishAsync(long seq)
    {
        var result = await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(seq, TestGateway.Reading(seq, $"{seq}.5", minute: 5 * (int)seq)));
        Assert.True(result.IsSuccess, $"publish {seq}: {result.ReasonCode}");
    }
}
