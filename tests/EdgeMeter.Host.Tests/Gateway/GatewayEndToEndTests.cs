using System.Buffers;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Pc.Runtime;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>The gateway core on a PC against the meter simulator and an in-process broker.</summary>
public class GatewayEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_reading_taken_arrives_in_a_packet_exactly_as_read()
    {
        await using var rig = new GatewayRig();
        await rig.Broker.StartAsync();
        using (var runtime = Start(rig))
        {
            await Until(() => rig.Taken.Count >= 25 && runtime.Buffer.Depth == 0 && runtime.Uplink.ReadingsAcknowledged >= 25);
            runtime.Stop();
        }

        var delivered = rig.Delivered();
        Assert.Equal(delivered.Count, delivered.Select(d => d.N).Distinct().Count());
        foreach (var (n, text) in delivered)
        {
            Assert.Equal(rig.Taken[n], text);
        }

        Assert.All(rig.Taken.Keys, n => Assert.Contains(n, delivered.Select(d => d.N)));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-1997 energy", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-modbus voltage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Modbus_TCP_server_is_polled_as_a_bus_of_its_own_and_its_readings_arrive()
    {
        await using var rig = new GatewayRig(modbusTcp: true);
        await rig.Broker.StartAsync();
        using (var runtime = Start(rig))
        {
            await Until(() => rig.Taken.Values.Count(t => t.StartsWith("m-plc ", StringComparison.Ordinal)) >= 4 && runtime.Buffer.Depth == 0);
            runtime.Stop();
        }

        var delivered = rig.Delivered();
        foreach (var (n, text) in delivered)
        {
            Assert.Equal(rig.Taken[n], text);
        }

        Assert.Contains(delivered, d => d.Text.StartsWith("m-plc voltage", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-plc energy", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-modbus voltage", StringComparison.Ordinal));
        Assert.True(rig.ModbusTcpServer!.Simulator.RequestsAnswered >= 4);
    }

    [Fact]
    public async Task CJT188_water_and_heat_meters_share_the_line_and_their_readings_arrive_and_a_unit_mismatch_is_refused()
    {
        await using var rig = new GatewayRig(cjt188: true);
        await rig.Broker.StartAsync();
        using (var runtime = Start(rig))
        {
            await Until(() => rig.Taken.Values.Count(t => t.StartsWith("m-heat heat", StringComparison.Ordinal)) >= 3 && runtime.Buffer.Depth == 0);
            runtime.Stop();
        }

        var delivered = rig.Delivered();
        foreach (var (n, text) in delivered)
        {
            Assert.Equal(rig.Taken[n], text);
        }

        Assert.Contains(delivered, d => d.Text.StartsWith("m-water water ", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-water water-month-start ", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-heat supply ", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Text.StartsWith("m-2007 energy", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Taken.Values, t => t.StartsWith("m-heat wrong-unit", StringComparison.Ordinal)); // the meter says m3
    }

    [Fact]
    public async Task With_the_broker_down_readings_wait_in_flash_and_arrive_in_order_after_it_returns()
    {
        await using var rig = new GatewayRig();
        using var runtime = Start(rig);
        await Until(() => rig.Taken.Count >= 12);
        Assert.Empty(rig.Broker.Received);
        Assert.True(runtime.Buffer.Depth >= 12);

        await rig.Broker.StartAsync();
        await Until(() => runtime.Uplink.IsConnected && runtime.Buffer.Depth == 0 && rig.Delivered().Count >= 12);
        runtime.Stop();

        var delivered = rig.Delivered().Select(d => d.N).ToList();
        var backlog = delivered.TakeWhile(n => n <= 12).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), backlog.Order());
        Assert.Equal(backlog.Order(), backlog);
        Assert.All(rig.Taken.Keys, n => Assert.Contains(n, delivered));
    }

    [Fact]
    public async Task A_dead_meter_does_not_starve_the_others()
    {
        await using var rig = new GatewayRig(faults: "no-reply@dlt645-1997:000000001997");
        await rig.Broker.StartAsync();
        using var runtime = Start(rig);
        await Until(() => rig.Taken.Values.Count(t => t.StartsWith("m-modbus voltage", StringComparison.Ordinal)) >= 4);
        runtime.Stop();

        var modbusSlots = rig.Taken.Values.Where(t => t.StartsWith("m-modbus voltage", StringComparison.Ordinal)).Select(t => t.Split(' ')[2]).ToList();
        Assert.Equal(modbusSlots.Count, modbusSlots.Distinct().Count());
        Assert.DoesNotContain(rig.Taken.Values, t => t.StartsWith("m-1997", StringComparison.Ordinal));
        var status = new GatewayStatus();
        runtime.Fill(status);
        Assert.Contains(Enumerable.Range(0, status.MeterCount), i => status.Meter(i) is { Id: "m-1997", Timeouts: > 0 });
    }

    [Fact]
    public async Task Commands_are_obeyed_once_and_forgeries_are_refused_and_answered()
    {
        await using var rig = new GatewayRig();
        await rig.Broker.StartAsync();
        using var runtime = Start(rig);
        await Until(() => runtime.Uplink.IsConnected);

        var good = Command(rig, 10, "platform-message", GatewayRig.Key, DateTime.UtcNow.AddMinutes(5), new CommandArgument("text", "hello"));
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", good);
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", good);
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", Command(rig, 11, "reboot", new byte[32], DateTime.UtcNow.AddMinutes(5)));
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", Command(rig, 12, "reboot", GatewayRig.Key, DateTime.UtcNow.AddMinutes(-1)));
        await Until(() => rig.Broker.On("/reply").Count >= 4);
        runtime.Stop();

        var replies = Replies(rig);
        Assert.Equal(CommandResult.Ok, replies[0].Result);
        Assert.Equal(10, replies[0].CommandSequence);
        Assert.Equal(CommandResult.Rejected, replies[1].Result);
        Assert.Contains("replayed", replies[1].Message, StringComparison.Ordinal);
        Assert.Equal(CommandResult.Rejected, replies[2].Result);
        Assert.Equal(CommandResult.Expired, replies[3].Result);
        Assert.Equal("hello", runtime.PlatformMessage);
    }

    private static GatewayRuntime Start(GatewayRig rig)
    {
        var platform = new PcGatewayPlatform(new GatewayData(rig.DataPath), rig.Keys, "gw-test");
        var runtime = new GatewayRuntime(rig.Config, platform, rig);
        runtime.Start();
        return runtime;
    }

    private static byte[] Command(GatewayRig rig, long sequence, string name, byte[] key, DateTime expires, params CommandArgument[] args)
    {
        var signer = new PacketSigner("gw-test", 1, key, new DotNetPacketMac(), 4096);
        Assert.True(signer.SignCommand(sequence, DateTime.UtcNow, new GatewayCommand { Name = name, ExpiresUtc = expires, Arguments = args }));
        return signer.Packet[..signer.Length];
    }

    private static List<CommandReply> Replies(GatewayRig rig)
    {
        var verifier = new PacketVerifier(new SingleKeyStore(GatewayRig.Key), new DotNetPacketMac(), 4096);
        return rig.Broker.On("/reply").Select(message =>
        {
            var bytes = message.Payload.ToArray();
            Assert.Equal(PacketError.None, verifier.Verify(bytes, 0, bytes.Length, "gw-test", PacketKind.Reply, DateTime.UtcNow));
            var reply = new CommandReply();
            verifier.Packet.GetReply(reply);
            return reply;
        }).ToList();
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the gateway did not get there within " + Patience);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
