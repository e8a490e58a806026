using System.Net.Sockets;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.Ingest;

/// <summary>
/// The embedded broker before anyone logged in (issue 19): what one client without a password can make it hold, and
/// how password guessing is slowed and logged. Each test reproduces the attack and asserts the bound.
/// </summary>
public sealed class BrokerAbuseTests : IAsyncLifetime
{
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private EmbeddedBrokerIngest Broker => (EmbeddedBrokerIngest)_harness.Receiver!.Link;

    [Fact]
    public async Task Connects_declaring_200_MB_are_closed_at_their_length_field_without_the_memory()
    {
        await _harness.StartAsync();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var first = await SendAsync([0x10, 0x80, 0x80, 0x80, 0x64]); // CONNECT, remaining length 200 MiB
        using var second = await SendAsync([0x10, 0x80, 0x80, 0x80, 0x64]);

        Assert.True(await ClosedByServerAsync(first), "the first connection is still open");
        Assert.True(await ClosedByServerAsync(second), "the second connection is still open");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 32 * 1024 * 1024, $"{allocated / 1_000_000} MB allocated while refusing two 200 MB CONNECTs");
        await Eventually.Until(() => Broker.Pending.Count == 0, "their pending places given back");
    }

    [Theory]
    [InlineData(10, 256)] // the cap per address
    [InlineData(64, 10)] // the cap in total
    public async Task Sockets_that_send_nothing_or_half_a_header_are_capped_and_closed_at_the_connect_deadline(int perAddress, int total)
    {
        _harness.Options.Ingest.Embedded.Limits.ConnectTimeoutSeconds = 1;
        _harness.Options.Ingest.Embedded.Limits.MaxPendingPerAddress = perAddress;
        _harness.Options.Ingest.Embedded.Limits.MaxPendingConnections = total;
        await _harness.StartAsync();
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                sockets.Add(await SendAsync(i % 2 == 0 ? [] : [0x10])); // nothing, or half a fixed header
            }

            await Eventually.Until(() => sockets.Count(s => Closed(s)) >= 40, "all but the 10 pending places closed at once");
            Assert.InRange(Broker.Pending.Count, 0, 10); // 0 once the deadline closed them too, on a slow machine
            await Eventually.Until(() => sockets.All(Closed), "every silent socket closed after the deadline");
            await Eventually.Until(() => Broker.Pending.Count == 0, "no pending place left held");

            await using var gateway = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
            Assert.Equal(MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_packet_over_the_limit_after_login_ends_that_connection_only()
    {
        _harness.Options.Ingest.Embedded.Limits.MaxPacketBytes = 8192;
        await _harness.StartAsync();
        await using var gateway = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        Assert.Equal(MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await gateway.PublishAsync("edgemeter/v1/gw-0001/up", new byte[100_000]);
        });

        await Eventually.Until(() => !gateway.Client.IsConnected, "the connection ended");
        Assert.Equal(0, _harness.Count("SELECT COUNT(*) FROM packets"));
    }

    [Fact]
    public async Task Two_hundred_wrong_passwords_from_one_address_are_refused_unchecked_after_twenty_and_logged_in_summary()
    {
        _harness.Options.Ingest.Embedded.Limits.FailedLoginsPerClient = 100_000; // the per-address rule alone here
        await _harness.StartAsync();
        var codes = new List<MqttClientConnectResultCode>();
        for (var i = 0; i < 200; i++)
        {
            await using var impostor = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
            codes.Add((await impostor.ConnectAsync(_harness.BrokerPort, $"guess-{i}")).ResultCode);
        }

        await using var rightPassword = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        var held = (await rightPassword.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode;

        Assert.Equal(Enumerable.Repeat(MqttClientConnectResultCode.BadUserNameOrPassword, 20), codes.Take(20));
        Assert.All(codes.Skip(20), code => Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, code)); // no password checked
        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, held); // the address waits out its minute
        Assert.InRange(Broker.LoginLogLines, 1, 3); // the first of each kind, the rest summed up per minute
    }

    [Fact]
    public async Task A_gateway_flooding_bad_packets_is_cut_off_with_bounded_rows_while_another_keeps_storing()
    {
        _harness.Options.Ingest.Embedded.Limits.QuarantinedPerMinute = 150;
        await _harness.StartAsync();
        await using var flooder = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        await using var neighbour = new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1);
        Assert.Equal(MqttClientConnectResultCode.Success, (await flooder.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, (await neighbour.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway2Password)).ResultCode);
        var forged = flooder.SignReadings(1, TestGateway.Reading(1, "1.5"))[..^4] + "AAAA"; // a broken signature

        var flood = Task.Run(async () =>
        {
            for (var i = 0; i < 400 && flooder.Client.IsConnected; i++)
            {
                try
                {
                    await flooder.PublishAsync("edgemeter/v1/gw-0001/up", System.Text.Encoding.ASCII.GetBytes(forged));
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or OperationCanceledException)
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);
        for (var n = 1; n <= 30; n++)
        {
            Assert.True((await neighbour.PublishAsync(Core.Packet.PacketKind.Up, neighbour.SignReadings(n, TestGateway.Reading(n, "2.5")))).IsSuccess);
        }

        await flood;
        await Eventually.Until(() => !flooder.Client.IsConnected, "the flooder disconnected");
        await using var again = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        var back = (await again.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode;

        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, back); // cooling down
        Assert.Equal(30, _harness.Count("SELECT COUNT(*) FROM readings WHERE gw = 'gw-0002'"));
        Assert.InRange(_harness.Count("SELECT total FROM quarantine_counts WHERE gw = 'gw-0001'"), 151, 400);
        Assert.Equal(EdgeMeter.Receiver.Store.QuarantineEntry.SamplePerDay, _harness.Count("SELECT COUNT(*) FROM quarantine WHERE gw = 'gw-0001'")); // a sample, the rest counted
        Assert.Equal(1, _harness.Receiver!.Metrics.Snapshot().FloodDisconnects);
        using var admin = _harness.Admin();
        var summary = System.Text.Json.Nodes.JsonNode.Parse(await admin.GetStringAsync("/admin/quarantine/summary", TestContext.Current.CancellationToken))!.AsArray();
        Assert.Equal("gw-0001", summary[0]!["gateway"]!.GetValue<string>()); // the busiest first
        Assert.Contains("edgemeter_quarantined_by_gateway_total{gateway=\"gw-0001\"}", _harness.Receiver.MetricsText(), StringComparison.Ordinal);
    }

    private async Task<TcpClient> SendAsync(byte[] bytes)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _harness.BrokerPort, TestContext.Current.CancellationToken);
        if (bytes.Length > 0)
        {
            await client.GetStream().WriteAsync(bytes, TestContext.Current.CancellationToken);
        }

        return client;
    }

    private static async Task<bool> ClosedByServerAsync(TcpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (Closed(client))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    /// <summary>The server closed it: readable with nothing to read (or reset).</summary>
    private static bool Closed(TcpClient client)
    {
        try
        {
            return client.Client.Poll(0, SelectMode.SelectRead) && client.Client.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
