using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>
/// The receiver as a real process, killed with SIGKILL while two gateways publish: every packet it acknowledged
/// is still there after the restart, readings the gateways send again (in new packets, as after a reboot) are not
/// stored twice, and the platform's broker (the MQTT tier, which relays the signed packets) ends up with every reading.
/// </summary>
public sealed class KillTests : IAsyncLifetime
{
    private const int PacketsPerGateway = 60;
    private const int ReadingsPerPacket = 4;
    private const int WarmUpPackets = 10;
    private const int KillAfterAcknowledged = 40;
    private const int InFlight = 8;
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly List<TestGateway> _gateways = [];
    private readonly PlatformBroker _platform = new();
    private ChildProcess? _receiver;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        _receiver?.Dispose();
        await _harness.DisposeAsync();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task Kill_9_under_load_loses_nothing_and_stores_nothing_twice()
    {
        await _platform.StartAsync();
        var brokerPort = FreePort.Next();
        var adminPort = FreePort.Next();
        _harness.Options.Ingest.Embedded.Port = brokerPort;
        _harness.Options.Admin.Urls = $"http://127.0.0.1:{adminPort}";
        _harness.AddMqttPlatform("provincial-mqtt", _platform.Port);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial-mqtt");
        _harness.Route(ReceiverHarness.Enterprise2, "provincial-mqtt");
        var config = Path.Combine(_harness.Directory, "receiver.json");
        File.WriteAllText(config, JsonSerializer.Serialize(_harness.Options, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true }));

        _receiver = StartReceiver(config, brokerPort);
        await _receiver.WaitForPortAsync(brokerPort, "the receiver's broker");
        _gateways.Add(new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1));
        _gateways.Add(new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1));
        await ConnectAllAsync(brokerPort);

        // A first part, one packet at a time, until the relay is busy; then the rest all at once, and the receiver
        // dies after 40 more acknowledgements, while storing and relaying.
        var acknowledged = new ConcurrentBag<(string Gateway, long Seq)>();
        foreach (var seq in Enumerable.Range(1, WarmUpPackets))
        {
            foreach (var gateway in _gateways)
            {
                await PublishAsync(gateway, seq, Sign(gateway, seq, seq), () => acknowledged.Add((gateway.Id, seq)));
            }
        }

        await Eventually.Until(() => !_platform.Published.IsEmpty, "the relay to start delivering");
        var receiver = _receiver;
        var counted = 0;
        using var dying = new CancellationTokenSource();
        var publishes = _gateways.Select(gateway => PublishWindowedAsync(gateway, dying.Token, () =>
        {
            if (Interlocked.Increment(ref counted) == KillAfterAcknowledged)
            {
                dying.Cancel();
                receiver.KillHard();
            }
        }, acknowledged)).ToList();
        await Task.WhenAll(publishes);
        Assert.True(receiver.HasExited);
        Assert.InRange(acknowledged.Count, (2 * WarmUpPackets) + KillAfterAcknowledged, (2 * WarmUpPackets) + KillAfterAcknowledged + (2 * InFlight));

        // Restart on the same database: everything acknowledged before the kill is there.
        _receiver = StartReceiver(config, brokerPort);
        await _receiver.WaitForPortAsync(brokerPort, "the restarted receiver's broker");
        var stored = _harness.Strings("SELECT gw || ':' || seq FROM packets").ToHashSet();
        TestContext.Current.TestOutputHelper?.WriteLine($"acknowledged before the kill: {acknowledged.Count}, stored: {stored.Count}, relayed: {_platform.Published.Count} packets");
        Assert.All(acknowledged, ack => Assert.Contains($"{ack.Gateway}:{ack.Seq}", stored));

        // The gateways come back as after a reboot: what was not acknowledged goes again in new packets, same n.
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        _gateways.Clear();
        _gateways.Add(new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1));
        _gateways.Add(new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1));
        await ConnectAllAsync(brokerPort);
        foreach (var gateway in _gateways)
        {
            foreach (var seq in Enumerable.Range(1, PacketsPerGateway).Where(seq => !acknowledged.Contains((gateway.Id, seq))))
            {
                var result = await gateway.PublishAsync(PacketKind.Up, Sign(gateway, 10_000 + seq, seq));
                Assert.True(result.IsSuccess, $"{gateway.Id} resend of {seq}: {result.ReasonCode}");
            }
        }

        var total = 2 * PacketsPerGateway * ReadingsPerPacket;
        var expected = _gateways.SelectMany(g => Enumerable.Range(1, PacketsPerGateway * ReadingsPerPacket).Select(n => $"{g.Id}:{n}")).Order().ToArray();
        await Eventually.Until(() => _platform.RelayedReadings().Count >= total, "every reading on the platform", timeoutSeconds: 30);
        Assert.Equal(expected, _harness.Strings("SELECT gw || ':' || n FROM readings").Order());
        Assert.Equal(expected, _platform.RelayedReadings().Order());
        Assert.Empty(_harness.Strings("SELECT error || ': ' || reason FROM quarantine"));
        TestContext.Current.TestOutputHelper?.WriteLine($"packets on the platform: {_platform.Published.Count}, re-sent: {_harness.Count("SELECT COUNT(*) FROM packets WHERE seq > 10000")} packets");
    }

    // Like a gateway with a bounded in-flight window: when the receiver dies, at most that many more can be acknowledged.
    private static async Task PublishWindowedAsync(TestGateway gateway, CancellationToken dying, Action afterAcknowledgement, ConcurrentBag<(string, long)> acknowledged)
    {
        using var window = new SemaphoreSlim(InFlight);
        var pending = new List<Task>();
        foreach (var seq in Enumerable.Range(WarmUpPackets + 1, PacketsPerGateway - WarmUpPackets))
        {
            await window.WaitAsync(TestContext.Current.CancellationToken);
            if (dying.IsCancellationRequested)
            {
                break;
            }

            // Signed here, one at a time: a PacketSigner is not thread-safe.
            var packet = Sign(gateway, seq, seq);
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await PublishAsync(gateway, seq, packet, () =>
                    {
                        acknowledged.Add((gateway.Id, seq));
                        afterAcknowledgement();
                    });
                }
                finally
                {
                    window.Release();
                }
            }));
        }

        await Task.WhenAll(pending);
    }

    private static ChildProcess StartReceiver(string config, int brokerPort) =>
        ChildProcess.StartDotnet("edgemeter-receiver.dll", "run", "--config", config);

    private static string Sign(TestGateway gateway, long seq, int packetNumber)
    {
        var first = ((packetNumber - 1) * ReadingsPerPacket) + 1;
        var readings = Enumerable.Range(first, ReadingsPerPacket).Select(n => TestGateway.Reading(n, $"{n}.25", minute: n % 60)).ToArray();
        return gateway.SignReadings(seq, readings);
    }

    private static async Task PublishAsync(TestGateway gateway, int seq, string packet, Action acknowledged)
    {
        try
        {
            var result = await gateway.PublishAsync(PacketKind.Up, packet);
            if (result.IsSuccess)
            {
                acknowledged();
            }
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // The receiver died before acknowledging: the gateway keeps the readings and sends them again.
        }
    }

    private async Task ConnectAllAsync(int port)
    {
        foreach (var gateway in _gateways)
        {
            var password = gateway.Id == TestKeys.Gateway1 ? ReceiverHarness.Gateway1Password : ReceiverHarness.Gateway2Password;
            Assert.Equal(MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(port, password)).ResultCode);
        }
    }
}
