using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Protocol.Dlt645;
using EdgeMeter.Core.Tests.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Polling;

public class BusPollerTests
{
    private static readonly DateTime Nine = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_dead_meter_does_not_delay_a_live_one_beyond_its_interval()
    {
        var clock = new ManualClock(Nine);
        var link = new ScriptedLink(clock);
        var live = Dlt645Address.Parse("123456789012");
        var fake = new FakeDlt645Meter(live);
        link.Responder = (buffer, offset, count) => IsAddressedTo(live, buffer, offset, count) ? fake.Respond(buffer, offset, count) : null;
        var master = new Dlt645Master(link, clock);
        var sink = new RecordingSink(clock);
        var meters = new MeterSession[]
        {
            new Dlt645MeterSession(0, "dead", master, Dlt645Address.Parse("000000000099"), Dlt645Version.V2007, [0x02010100], 60, 500, 2, clock),
            new Dlt645MeterSession(1, "live", master, live, Dlt645Version.V2007, [0x02010100], 60, 500, 2, clock),
        };
        var bus = new BusPoller("bus1", meters, clock, sink);

        for (var step = 0; step < 2000 && clock.UtcNow < Nine.AddMinutes(30); step++)
        {
            clock.Advance(bus.PollDue());
        }

        var liveTimes = sink.TimesOf("live");
        Assert.Equal(30, liveTimes.Count);
        for (var i = 1; i < liveTimes.Count; i++)
        {
            // Read within the same minute it was due: the dead meter's timeouts (3 x 500 ms) never push it over.
            Assert.Equal(Nine.AddMinutes(i), new DateTime(liveTimes[i].Ticks - (liveTimes[i].Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc));
        }

        Assert.True(meters[0].Schedule.IsOffline);
        Assert.True(meters[0].Counters.Timeouts < 30 * 3, "the offline meter backed off");
        Assert.Equal(ReadStatus.Timeout, meters[0].LastStatus);
        Assert.Equal(0, meters[1].Counters.Timeouts);
        Assert.All(sink.Values("live"), v => Assert.Equal("220.1", v.ToString()));
    }

    [Fact]
    public void Modbus_points_are_read_in_coalesced_blocks_and_land_on_their_own_index()
    {
        var clock = new ManualClock(Nine);
        var server = new ModbusTestServer(unit: 3);
        server.Holding[10] = 2201;
        server.Holding[11] = 0;
        server.Holding[12] = 0x0001;
        server.Holding[13] = 0x86A0; // 100000 as uint32 big-endian
        var link = new ScriptedLink(clock, 9600)
        {
            Responder = (buffer, offset, count) => server.Serve(buffer[offset..(offset + count)]),
        };
        var points = new[]
        {
            new ModbusPoint("energy", 3, ModbusFunction.ReadHoldingRegisters, 12, ModbusDataType.UInt32, power10: -2),
            new ModbusPoint("voltage", 3, ModbusFunction.ReadHoldingRegisters, 10, ModbusDataType.UInt16, power10: -1),
        };
        var session = new ModbusMeterSession(0, "m3", new ModbusRtuMaster(link, clock), points, new ModbusBlockPlanner(), 60, 300, 1, clock);
        var sink = new RecordingSink(clock);

        Assert.True(session.Poll(sink));

        Assert.Equal(1, session.RequestsPerPoll);
        Assert.Equal(1, server.RequestsServed);
        Assert.Equal(["0:1000.00", "1:220.1"], sink.Entries.Select(e => $"{e.Point}:{e.Value}").Order());
    }

    [Fact]
    public void Modbus_meters_sharing_points_and_plan_on_one_line_each_read_their_own_unit()
    {
        var clock = new ManualClock(Nine);
        var three = new ModbusTestServer(unit: 3);
        var four = new ModbusTestServer(unit: 4);
        three.Holding[10] = 2201;
        four.Holding[10] = 2305;
        var link = new ScriptedLink(clock, 9600)
        {
            Responder = (buffer, offset, count) => three.Serve(buffer[offset..(offset + count)]) ?? four.Serve(buffer[offset..(offset + count)]),
        };
        var points = new[] { new ModbusPoint("voltage", 0, ModbusFunction.ReadHoldingRegisters, 10, ModbusDataType.UInt16, power10: -1) };
        var plan = new ModbusBlockPlanner().Plan(points);
        var master = new ModbusRtuMaster(link, clock);
        var sink = new RecordingSink(clock);

        Assert.True(new ModbusMeterSession(0, "m3", master, points, plan, 3, 60, 300, 1, clock).Poll(sink));
        Assert.True(new ModbusMeterSession(1, "m4", master, points, plan, 4, 60, 300, 1, clock).Poll(sink));

        Assert.Equal(["220.1", "230.5"], sink.Entries.Select(e => $"{e.Value}"));
        Assert.Equal((1, 1), (three.RequestsServed, four.RequestsServed));
    }

    [Fact]
    public void Read_now_polls_every_meter_at_once()
    {
        var clock = new ManualClock(Nine.AddSeconds(5));
        var link = new ScriptedLink(clock);
        var address = Dlt645Address.Parse("123456789012");
        link.Responder = new FakeDlt645Meter(address).Respond;
        var sink = new RecordingSink(clock);
        var meter = new Dlt645MeterSession(0, "m", new Dlt645Master(link, clock), address, Dlt645Version.V2007, [0x02010100], 900, 500, 0, clock);
        var bus = new BusPoller("bus1", [meter], clock, sink);

        Assert.True(bus.PollDue() > 0);
        Assert.Empty(sink.Entries);

        bus.ReadNow();
        bus.PollDue();
        Assert.Single(sink.Entries);
    }

    [Fact]
    public void A_cycle_ends_once_after_every_due_meter_and_not_when_none_was_due()
    {
        var clock = new ManualClock(Nine.AddSeconds(5));
        var link = new ScriptedLink(clock);
        var addresses = new[] { Dlt645Address.Parse("000000000001"), Dlt645Address.Parse("000000000002"), Dlt645Address.Parse("000000000003") };
        var meters = addresses.Select(a => (Address: a, Meter: new FakeDlt645Meter(a))).ToArray();
        link.Responder = (buffer, offset, count) => meters.First(m => IsAddressedTo(m.Address, buffer, offset, count)).Meter.Respond(buffer, offset, count);
        var sink = new RecordingSink(clock);
        var sessions = addresses.Select((a, i) => (MeterSession)new Dlt645MeterSession(i, "m" + i, new Dlt645Master(link, clock), a, Dlt645Version.V2007, [0x02010100], 900, 500, 0, clock)).ToArray();
        var bus = new BusPoller("bus1", sessions, clock, sink);

        bus.PollDue();
        Assert.Empty(sink.Calls);

        bus.ReadNow();
        bus.PollDue();
        Assert.Equal(3, sink.Entries.Count);
        Assert.Equal(["cycle", "done m0", "done m1", "done m2"], sink.Calls.Where(c => !c.StartsWith("start", StringComparison.Ordinal)).Order().ToList());
        Assert.Equal("cycle", sink.Calls[^1]);
    }

    /// <summary>A real bus: only the addressed meter answers.</summary>
    private static bool IsAddressedTo(Dlt645Address address, byte[] buffer, int offset, int count)
    {
        var parser = new Dlt645FrameParser();
        for (var i = 0; i < count; i++)
        {
            if (parser.Feed(buffer[offset + i]))
            {
                return parser.Frame.Address == address;
            }
        }

        return false;
    }

    private sealed class RecordingSink(ManualClock clock) : IPointSink
    {
        public List<(string Meter, int Point, DateTime At, FixedDecimal Value)> Entries { get; } = [];

        public List<string> Calls { get; } = [];

        public void PollStarted(MeterSession meter) => Calls.Add("start " + meter.MeterId);

        public void PollCompleted(MeterSession meter) => Calls.Add("done " + meter.MeterId);

        public void CycleCompleted() => Calls.Add("cycle");

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value)
        {
            if (status == ReadStatus.Ok)
            {
                Entries.Add((meter.MeterId, pointIndex, clock.UtcNow, value));
            }
        }

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value) =>
            Calls.Add($"frozen {meter.MeterId}/{pointIndex} {atUtc:yyyy-MM-dd HH:mm} {value}");

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value) =>
            Calls.Add($"alarmed {meter.MeterId}/{pointIndex} {value}");

        public List<DateTime> TimesOf(string meter) => Entries.Where(e => e.Meter == meter).Select(e => e.At).ToList();

        public IEnumerable<FixedDecimal> Values(string meter) => Entries.Where(e => e.Meter == meter).Select(e => e.Value);
    }
}
