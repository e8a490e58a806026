using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Buffer;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Simulation;

/// <summary>
/// The gateway reads a DL/T 645-2007 meter's daily freezes back for the midnights it missed while unread, against
/// the simulator's meter (which keeps its frozen data): each missed midnight once, at the freeze time the meter
/// reports, with the register the meter froze; across a gateway restart too (the last day is kept in flash).
/// </summary>
public sealed class FrozenDayBackfillTests : IDisposable
{
    private const string Meter = "dlt645:123456789012";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly FrozenClock _clock = new(Local(2026, 11, 23, 10, 0));
    private readonly string _state = Directory.CreateTempSubdirectory("edgemeter-frozen-").FullName;
    private readonly MeterSimulator _simulator;
    private readonly RecordingSink _sink = new();

    public FrozenDayBackfillTests()
    {
        _simulator = new MeterSimulator(new SimulatorOptions { Meters = [MeterSpec.Parse(Meter)], Clock = _clock, MeterClockErrors = false });
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public void Missed_midnights_are_read_back_once_each_with_the_frozen_registers_also_after_a_restart()
    {
        using (var backfill = Backfill())
        {
            var session = Session(backfill);
            session.Poll(_sink);
            Assert.Empty(_sink.Frozen); // the first poll ever: nothing known to be missed

            _clock.UtcNow = Local(2026, 11, 26, 16, 30); // off for three day changes
            session.Poll(_sink);
            Assert.Equal([Local(2026, 11, 26, 0, 0), Local(2026, 11, 25, 0, 0), Local(2026, 11, 24, 0, 0)], _sink.Frozen.Select(f => f.At));
            Assert.All(_sink.Frozen, f => Assert.Equal(Register(f.At), f.Value));
            Assert.All(_sink.Frozen, f => Assert.Equal(0, f.Point));

            _clock.UtcNow = Local(2026, 11, 26, 23, 50);
            session.Poll(_sink);
            _clock.UtcNow = Local(2026, 11, 27, 0, 10); // a midnight 20 minutes from two polls: nothing to read back
            session.Poll(_sink);
            _clock.UtcNow = Local(2026, 11, 27, 3, 10); // three hours unread, but no midnight in them
            session.Poll(_sink);
            Assert.Equal(3, _sink.Frozen.Count);

            _clock.UtcNow = Local(2026, 11, 28, 1, 0); // a line down for the night: the midnight it hid
            session.Poll(_sink);
            Assert.Equal(Local(2026, 11, 28, 0, 0), _sink.Frozen[^1].At);
        }

        _clock.UtcNow = Local(2026, 12, 1, 9, 0); // the gateway was off from the 28th: a new start
        using (var restarted = Backfill())
        {
            Session(restarted).Poll(_sink);
        }

        Assert.Equal([Local(2026, 12, 1, 0, 0), Local(2026, 11, 30, 0, 0), Local(2026, 11, 29, 0, 0)], _sink.Frozen.Skip(4).Select(f => f.At));
    }

    [Fact]
    public void After_a_gateway_restart_every_meter_reads_its_missed_midnights_not_only_the_first()
    {
        using (var backfill = new FrozenDayBackfill(new DiskFlashFileSystem(_state), _clock, 480, 2))
        {
            Session(backfill).Poll(_sink);
        }

        _clock.UtcNow = Local(2026, 11, 25, 9, 0);
        using (var restarted = new FrozenDayBackfill(new DiskFlashFileSystem(_state), _clock, 480, 2))
        {
            Session(restarted).Poll(_sink);
            Session(restarted, meterIndex: 1).Poll(_sink);
        }

        Assert.Equal(4, _sink.Frozen.Count); // the 24th and 25th, for each of the two meters
    }

    [Fact]
    public void A_meter_without_the_energy_point_or_a_gateway_clock_not_synchronized_reads_nothing_back()
    {
        using var backfill = Backfill();
        var session = Session(backfill);
        session.Poll(_sink);
        _clock.UtcNow = new DateTime(1970, 1, 5, 0, 0, 0, DateTimeKind.Utc); // a board that lost its time
        session.Poll(_sink);
        _clock.UtcNow = Local(2026, 11, 26, 12, 0);
        session.FrozenEnergyPoint = -1;
        session.Poll(_sink);

        Assert.Empty(_sink.Frozen);
    }

    [Theory]
    [InlineData(0L)] // a meter that never froze
    [InlineData(2613310000L)] // month 13
    [InlineData(2602300000L)] // 30 February
    [InlineData(2611262400L)] // hour 24
    public void A_freeze_time_that_is_no_date_is_refused(long digits)
    {
        using var backfill = Backfill();
        Assert.False(backfill.TryFreezeTime(new FixedDecimal(digits, 0), out _, out _));
    }

    private FrozenDayBackfill Backfill() => new(new DiskFlashFileSystem(_state), _clock, 480, 1);

    private Dlt645MeterSession Session(FrozenDayBackfill backfill, int meterIndex = 0)
    {
        var master = new Dlt645Master(new SessionLink(_simulator.OpenSession()), _clock) { TimeoutMilliseconds = 500 };
        return new Dlt645MeterSession(meterIndex, "m" + (meterIndex + 1), master, Dlt645Address.Parse("123456789012"), Dlt645Version.V2007,
            [Dlt645Catalogue.ForwardActiveEnergyTotal, 0x02010100], 60, 500, 0, _clock)
        {
            Backfill = backfill,
            FrozenEnergyPoint = 0,
        };
    }

    /// <summary>The simulated meter's forward active energy at a moment, as its 2-decimal register holds it.</summary>
    private FixedDecimal Register(DateTime utc)
    {
        var exact = _simulator.Model(MeterSpec.Parse(Meter)).Value(Quantity.ForwardActiveEnergy, utc);
        return new FixedDecimal(Dlt645SimulatedItems.Rescale(exact, 2), 2);
    }

    private static DateTime Local(int year, int month, int day, int hour, int minute) =>
        DateTime.SpecifyKind(new DateTime(year, month, day, hour, minute, 0) - Beijing, DateTimeKind.Utc);

    private sealed class RecordingSink : IPointSink
    {
        public List<(int Point, DateTime At, FixedDecimal Value)> Frozen { get; } = [];

        public void PollStarted(MeterSession meter)
        {
        }

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value) =>
            Assert.Equal(ReadStatus.Ok, status);

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value) => Frozen.Add((pointIndex, atUtc, value));

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value) => Assert.Fail("no alarms from DL/T 645");

        public void PollCompleted(MeterSession meter)
        {
        }

        public void CycleCompleted()
        {
        }
    }
}
