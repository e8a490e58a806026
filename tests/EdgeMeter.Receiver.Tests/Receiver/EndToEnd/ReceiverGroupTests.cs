using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>
/// Receivers in a group (issue 21): two receiver processes on one PostgreSQL database, consuming one Mosquitto
/// through a shared subscription, each killed with SIGKILL at a seeded moment while gateways publish, and started
/// again. Every reading ends up stored once, the platform's broker gets every reading (by its key, gateway and n),
/// and the work lease moved to the survivor when its holder died.
/// </summary>
public sealed class ReceiverGroupTests : IAsyncLifetime
{
    private const int PacketsPerGateway = 60;
    private const int ReadingsPerPacket = 3;
    private const int Seed = 21;
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly PlatformBroker _platform = new();
    private readonly List<TestGateway> _gateways = [];
    private readonly int _port = FreePort.Next();
    private readonly ChildProcess?[] _receivers = new ChildProcess?[2];
    private readonly List<(int Receiver, ChildProcess Process)> _started = [];
    private ChildProcess? _mosquitto;

    public async ValueTask InitializeAsync()
    {
        _mosquitto = await TestMosquitto.StartAsync(_harness.Directory, _port);
        await _platform.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        foreach (var (_, process) in _started)
        {
            process.Dispose();
        }

        await _harness.DisposeAsync();
        await _platform.DisposeAsync();
        _mosquitto?.Dispose();
    }

    [Fact]
    public async Task Two_receivers_killed_in_turn_lose_no_reading_store_none_twice_and_hand_the_relay_over()
    {
        TestStores.Configure(_harness.Options.Store, _harness.Directory, StoreKind.Postgres);
        _harness.AddMqttPlatform("provincial-mqtt", _platform.Port);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial-mqtt");
        _harness.Route(ReceiverHarness.Enterprise2, "provincial-mqtt");
        var configs = new[] { WriteConfig("a"), WriteConfig("b") };
        for (var i = 0; i < 2; i++)
        {
            _receivers[i] = StartReceiver(i, configs[i]);
        }

        _gateways.Add(new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1));
        _gateways.Add(new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1));
        foreach (var gateway in _gateways)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(_port, password: null)).ResultCode);
        }

        // Each receiver is killed once, the first early and the second later, and started again ten packets on.
        var random = new Random(Seed);
        var kills = new[] { (At: random.Next(10, 20), Receiver: 0), (At: random.Next(30, 45), Receiver: 1) };
        for (var seq = 1; seq <= PacketsPerGateway; seq++)
        {
            foreach (var (at, index) in kills)
            {
                if (seq == at)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"kill -9 receiver {configs[index]} before packet {seq}");
                    _receivers[index]!.KillHard();
                }
                else if (seq == at + 10)
                {
                    // The survivor takes the lease first: a restart quicker than its next check would take it back (a
                    // flaky run saw that), and the handover is what this test is about.
                    var survivor = _receivers[1 - index]!;
                    Assert.True(survivor.WaitForOutput("took the work lease", TimeSpan.FromSeconds(15)), $"receiver {1 - index} did not take the lease: {survivor.Output}");
                    _receivers[index] = StartReceiver(index, configs[index]);
                }
            }

            foreach (var gateway in _gateways)
            {
                var result = await gateway.PublishAsync(PacketKind.Up, Sign(gateway, seq));
                Assert.True(result.IsSuccess, $"{gateway.Id} seq {seq}: {result.ReasonCode}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var expected = _gateways.SelectMany(g => Enumerable.Range(1, PacketsPerGateway * ReadingsPerPacket).Select(n => $"{g.Id}:{n}")).Order().ToArray();
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == expected.Length, "every reading stored", timeoutSeconds: 60);
        await Eventually.Until(() => _platform.RelayedReadings().Count == expected.Length, "every reading on the platform", timeoutSeconds: 60);
        Assert.Equal(expected, _harness.Strings("SELECT gw || ':' || n FROM readings").Order());
        Assert.Equal(expected, _platform.RelayedReadings().Order());
        Assert.Equal(2 * PacketsPerGateway, _harness.Count("SELECT COUNT(*) FROM packets"));
        Assert.Empty(_harness.Strings("SELECT error || ': ' || reason FROM quarantine"));

        // Receiver a started first and took the lease; when it was killed, b took it over.
        TestContext.Current.TestOutputHelper?.WriteLine($"packets on the platform: {_platform.Published.Count} for {2 * PacketsPerGateway} stored");
        Assert.Contains(_started, started => started.Receiver == 0 && started.Process.Output.Contains("took the work lease", StringComparison.Ordinal));
        Assert.Contains(_started, started => started.Receiver == 1 && started.Process.Output.Contains("took the work lease", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Platform_messages_a_stopped_receiver_left_unforwarded_go_once_by_the_receiver_that_takes_the_lease()
    {
        TestStores.Configure(_harness.Options.Store, _harness.Directory, StoreKind.Postgres);
        await using var second = ReceiverHarness.Create();
        (second.Options.Store.Database, second.Options.Store.ConnectionString) = (StoreKind.Postgres, _harness.Options.Store.ConnectionString);
        var first = await _harness.StartAsync();
        await Eventually.Until(() => first.Store.Lease.IsHeld, "the first receiver to take the lease");
        _harness.Execute("""
            INSERT INTO platform_messages(account, platform, message_id, issued_at, received_at, via, text, gateways, forwarded, jws)
            VALUES ('svc.platform-test', 'provincial', 'cut-short', '2026-12-05T08:00:00.000Z', '2026-12-05T08:00:01.000Z', 'mqtt', 'left behind', '["gw-0001"]', '{}', 'x')
            """);

        // A receiver that starts without the lease leaves them to the holder.
        await second.StartAsync();
        await Task.Delay(2 * EdgeMeter.Receiver.Store.AdvisoryLease.CheckInterval, TestContext.Current.CancellationToken);
        Assert.Equal(0, _harness.Count("SELECT COUNT(*) FROM commands"));

        await _harness.StopAsync();
        await Eventually.Until(() => second.Count("SELECT COUNT(*) FROM commands") == 1, "the message forwarded by the receiver that took the lease", timeoutSeconds: 15);
        await Eventually.Until(() => second.Count("SELECT COUNT(*) FROM platform_messages WHERE forwarded <> '{}'") == 1, "the message marked forwarded");
        Assert.Contains("left behind", second.Strings("SELECT args FROM commands").Single(), StringComparison.Ordinal);
    }

    private string WriteConfig(string instance)
    {
        _harness.Options.Ingest.Mode = IngestMode.External;
        _harness.Options.Ingest.External = new ExternalBrokerOptions
        {
            Host = "127.0.0.1", Port = _port, ClientId = "svc.receiver-test", SharedGroup = "receivers", InstanceId = instance, ReconnectDelayMs = 100,
        };
        _harness.Options.Admin.Urls = $"http://127.0.0.1:{FreePort.Next()}";
        _harness.Options.Admin.AuditLog = Path.Combine(_harness.Directory, $"audit-{instance}.log");
        var path = Path.Combine(_harness.Directory, $"receiver-{instance}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(_harness.Options, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true }));
        return path;
    }

    private ChildProcess StartReceiver(int index, string config)
    {
        var receiver = ChildProcess.StartDotnet("edgemeter-receiver.dll", "run", "--config", config);
        _started.Add((index, receiver));
        Assert.True(receiver.WaitForOutput("receiver running", TimeSpan.FromSeconds(30)), $"the receiver did not start: {receiver.Output}");
        return receiver;
    }

    private static string Sign(TestGateway gateway, int seq)
    {
        var first = ((seq - 1) * ReadingsPerPacket) + 1;
        return gateway.SignReadings(seq, [.. Enumerable.Range(first, ReadingsPerPacket).Select(n => TestGateway.Reading(n, $"{n}.5", minute: n % 60))]);
    }
}
