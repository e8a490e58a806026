using System.Diagnostics;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.LoadTest.Support;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.LoadTest.Bus;

/// <summary>What the bus test reads and how often.</summary>
public sealed record BusOptions
{
    public int Meters { get; init; } = 4;

    public int[] Bauds { get; init; } = [2400, 9600];

    /// <summary>Each meter's turnaround: from the end of a request to the start of its reply.</summary>
    public int TurnaroundMilliseconds { get; init; } = 20;

    public int Runs { get; init; } = 3;
}

/// <summary>
/// Issue 9, part 4: the wall-clock time to read M meters x 15 points over an emulated RS-485 line (the simulator on
/// loopback TCP with --line-rate and --turnaround, the master's requests held for their own transmission time),
/// against the physical minimum: every byte that crossed the line x 11 bits / baud, plus one turnaround per
/// request. For DL/T 645-2007 one request per data identifier (what the gateway does) and one per block DI
/// (0001FF00, 0201FF00, 0202FF00, 0203FF00); for Modbus one request per point and the gateway's coalesced blocks
/// (4 requests). Both protocols carry the same 15 quantities.
/// </summary>
public static class BusEfficiencyTest
{
    private const int BitsPerCharacter = 11;

    /// <summary>The 15 DL/T 645 points, grouped by the block DI that returns them in one reply.</summary>
    private static readonly (uint Block, uint[] Points)[] Dlt645Blocks =
    [
        (0x0001FF00, [0x00010000, 0x00010100, 0x00010200, 0x00010300, 0x00010400]),
        (0x0201FF00, [0x02010100, 0x02010200, 0x02010300]),
        (0x0202FF00, [0x02020100, 0x02020200, 0x02020300]),
        (0x0203FF00, [0x02030000, 0x02030100, 0x02030200, 0x02030300]),
    ];

    /// <summary>The same quantities on an SDM630-style meter: voltages, currents, phase powers, total power, power factor, frequency, energies.</summary>
    private static readonly int[] ModbusRegisters = [0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0E, 0x10, 0x34, 0x3E, 0x46, 0x48, 0x4A, 0x4C];

    public static int PointsPerMeter => ModbusRegisters.Length;

    public static ResultTable Run(BusOptions options, TextWriter log)
    {
        var table = new ResultTable(
            "bus",
            $"Bus efficiency: reading {options.Meters} meters x {PointsPerMeter} points against the physical minimum (issue 9, part 4)",
            "protocol", "requests per", "baud", "requests", "bytes on the line", "measured s (median)", "physical minimum s", "ratio", "readings/s");
        foreach (var baud in options.Bauds)
        {
            foreach (var (protocol, blocks) in new[] { ("DL/T 645-2007", false), ("DL/T 645-2007", true), ("Modbus RTU", false), ("Modbus RTU", true) })
            {
                var row = Measure(options, baud, protocol.StartsWith("DL/T", StringComparison.Ordinal), blocks);
                log.WriteLine($"bus: {protocol} {(blocks ? "block" : "point")} reads at {baud} baud: {row.Measured:F3} s vs minimum {row.Minimum:F3} s");
                table.Add(protocol, blocks ? "block" : "point", baud, row.Requests, row.Bytes, row.Measured, row.Minimum, row.Measured / row.Minimum,
                    options.Meters * PointsPerMeter / row.Measured);
            }
        }

        table.Notes.Add(
            $"Turnaround {options.TurnaroundMilliseconds} ms per request; 8E1 framing (11 bits per byte); {options.Runs} runs, median. "
            + "The ratio's excess over 1 is what the masters add (Modbus: the 3.5-character silence before each request; both: timeouts "
            + "armed, replies parsed) plus the emulation's own timer overshoot (about 0.1-1 ms per request on Linux). "
            + "DL/T 645 block reads are done with Dlt645Master.ReadRaw here: the gateway's configuration reads one DI per point.");
        return table;
    }

    private static (double Measured, double Minimum, long Requests, long Bytes) Measure(BusOptions options, int baud, bool dlt645, bool blocks)
    {
        var meters = Enumerable.Range(1, options.Meters)
            .Select(i => dlt645 ? MeterSpec.Parse("dlt645:" + i.ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture)) : MeterSpec.Modbus(i))
            .ToList();
        var simulator = new MeterSimulator(new SimulatorOptions
        {
            Meters = meters,
            LineRateBaud = baud,
            BitsPerCharacter = BitsPerCharacter,
            TurnaroundMilliseconds = options.TurnaroundMilliseconds,
            MeterClockErrors = false,
        });
        using var host = SimulatorHost.StartTcp(simulator);
        using var link = new LineRateLink(new TcpMeterLink("127.0.0.1", host.Link.Port, baud, BitsPerCharacter), baud, BitsPerCharacter);
        var poll = dlt645 ? Dlt645Poll(link, meters, blocks) : ModbusPoll(link, meters, blocks);
        poll();
        var measured = new List<double>();
        var minimum = 0.0;
        long requests = 0;
        long bytes = 0;
        for (var run = 0; run < options.Runs; run++)
        {
            link.ResetCounters();
            var started = Stopwatch.GetTimestamp();
            var read = poll();
            measured.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (read != options.Meters * PointsPerMeter)
            {
                throw new InvalidOperationException($"read {read} of {options.Meters * PointsPerMeter} points at {baud} baud");
            }

            requests = link.Requests;
            bytes = link.BytesWritten + link.BytesRead;
            minimum = (bytes * (double)BitsPerCharacter / baud) + (requests * options.TurnaroundMilliseconds / 1000.0);
        }

        return (Stats.Median(measured), minimum, requests, bytes);
    }

    private static Func<int> Dlt645Poll(LineRateLink link, List<MeterSpec> meters, bool blocks)
    {
        var master = new Dlt645Master(link, SystemClock.Instance);
        if (blocks)
        {
            return () =>
            {
                var read = 0;
                foreach (var meter in meters)
                {
                    foreach (var (block, points) in Dlt645Blocks)
                    {
                        if (master.ReadRaw(meter.Address, block) != ReadStatus.Ok)
                        {
                            continue;
                        }

                        var item = Dlt645Catalogue.Find(block, Dlt645Version.V2007)!;
                        for (var i = 0; i < points.Length; i++)
                        {
                            read += Dlt645ValueCodec.TryDecodeElement(item, master.LastData, 0, master.LastDataLength, i, out _) ? 1 : 0;
                        }
                    }
                }

                return read;
            };
        }

        var identifiers = Dlt645Blocks.SelectMany(b => b.Points).ToArray();
        var sessions = meters.Select((m, i) => new Dlt645MeterSession(
            i, m.ToString(), master, m.Address, Dlt645Version.V2007, identifiers, 60, 1000, 0, SystemClock.Instance)).ToArray();
        return () => PollAll(sessions);
    }

    private static Func<int> ModbusPoll(LineRateLink link, List<MeterSpec> meters, bool blocks)
    {
        var master = new ModbusRtuMaster(link, SystemClock.Instance);
        var planner = new ModbusBlockPlanner();
        ModbusMeterSession Session(MeterSpec meter, int index, int[] registers) => new(
            index,
            meter.ToString(),
            master,
            [.. registers.Select(r => new ModbusPoint("r" + r, meter.Unit, ModbusFunction.ReadInputRegisters, r, ModbusDataType.Float32, decimals: 2))],
            planner,
            60,
            1000,
            0,
            SystemClock.Instance);

        // Point by point: one session per point, so nothing can be coalesced; blocks: the gateway's planner.
        var sessions = blocks
            ? meters.Select((m, i) => Session(m, i, ModbusRegisters)).ToArray()
            : meters.SelectMany((m, i) => ModbusRegisters.Select(r => Session(m, i, [r]))).ToArray();
        return () => PollAll(sessions);
    }

    private static int PollAll(IEnumerable<MeterSession> sessions)
    {
        var sink = new CountingSink();
        foreach (var session in sessions)
        {
            session.Poll(sink);
        }

        return sink.Read;
    }

    private sealed class CountingSink : IPointSink
    {
        public int Read { get; private set; }

        public void PollStarted(MeterSession meter)
        {
        }

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value) => Read += status == ReadStatus.Ok ? 1 : 0;

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value) => Read++;

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value) => Read++;

        public void PollCompleted(MeterSession meter)
        {
        }

        public void CycleCompleted()
        {
        }
    }
}
