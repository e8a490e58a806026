using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Buffer;

/// <summary>
/// Bytes on flash per stored reading for realistic steady series (energy, voltages, currents, power, power factor,
/// frequency of three-phase meters with DL/T 645 scales), everything included: frame lengths and CRCs, segment
/// headers, each segment's first (absolute) reading per series. The numbers feed docs/storage.md.
/// </summary>
public class CompactnessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8, 1, false)]
    [InlineData(32, 1, false)]
    [InlineData(128, 1, false)]
    [InlineData(8, 15, false)]
    [InlineData(32, 15, false)]
    [InlineData(128, 15, false)]
    [InlineData(8, 1, true)]
    [InlineData(32, 1, true)]
    [InlineData(128, 1, true)]
    [InlineData(8, 15, true)]
    [InlineData(32, 15, true)]
    [InlineData(128, 15, true)]
    public void Steady_series_take_at_most_8_bytes_per_reading(int points, int minutes, bool readTimestamps)
    {
        var flash = new SimulatedFlash(trackUnflushed: false, initialCapacity: 20 * 1024);
        var options = new BufferOptions { Budget = 256L * 1024 * 1024, AllocationUnit = 1 };
        using var buffer = ReadingBuffer.Open(flash, options);
        var cycles = minutes == 1 ? 1440 : 960;
        var meters = new MeterSimulator(new Random(points + minutes), points);

        for (var cycle = 0; cycle < cycles; cycle++)
        {
            meters.PollCycle(buffer, cycle, minutes, readTimestamps);
            buffer.Commit();
        }

        var bytes = flash.List().Where(n => n.EndsWith(".seg", StringComparison.Ordinal)).Sum(flash.LengthOf);
        var readings = (double)cycles * points;
        var perReading = bytes / readings;
        var perDay = perReading * points * (1440 / minutes);
        output.WriteLine($"| {points} | {minutes} min | {(readTimestamps ? "read time" : "cycle time")} | {perReading:F2} | {perDay / 1024:F1} KB |");
        Assert.Equal((long)readings, buffer.LastSequence);
        Assert.InRange(perReading, 1.0, 8.0);
    }

    /// <summary>Three-phase meters, 8 points each, whose load wanders: the values a poll cycle reads.</summary>
    private sealed class MeterSimulator
    {
        private readonly Random _random;
        private readonly int _points;
        private readonly double[] _loadKw;
        private readonly long[] _importKwh;
        private readonly long[] _reactiveKvarh;
        private readonly double[] _voltage;
        private readonly double[] _frequency;

        public MeterSimulator(Random random, int points)
        {
            _random = random;
            _points = points;
            var meters = (points + 7) / 8;
            _loadKw = Enumerable.Range(0, meters).Select(_ => 20 + (random.NextDouble() * 60)).ToArray();
            _importKwh = Enumerable.Range(0, meters).Select(_ => (long)random.Next(1_000_000, 90_000_000)).ToArray();
            _reactiveKvarh = Enumerable.Range(0, meters).Select(_ => (long)random.Next(100_000, 9_000_000)).ToArray();
            _voltage = Enumerable.Range(0, meters).Select(_ => 225 + (random.NextDouble() * 10)).ToArray();
            _frequency = Enumerable.Range(0, meters).Select(_ => 50.0).ToArray();
        }

        public void PollCycle(ReadingBuffer buffer, int cycle, int minutes, bool readTimestamps)
        {
            var cycleStart = BufferTestKit.Start.AddMinutes((double)cycle * minutes);
            var readAt = cycleStart.AddMilliseconds(_random.Next(0, 400));
            for (var meter = 0; meter < _loadKw.Length; meter++)
            {
                Advance(meter, minutes);
            }

            var reading = default(Reading);
            for (var index = 0; index < _points; index++)
            {
                var meter = index / 8;
                readAt = readAt.AddMilliseconds(280 + _random.Next(0, 60));
                reading.Meter = meter;
                reading.Point = index % 8;
                reading.Time = readTimestamps ? new DateTime(readAt.Ticks / 10000 * 10000, DateTimeKind.Utc) : cycleStart;
                reading.Value = Value(meter, index % 8);
                reading.Quality = ReadingQuality.Good;
                buffer.Append(ref reading);
            }
        }

        private void Advance(int meter, int minutes)
        {
            var wander = Math.Sqrt(minutes) * 0.03;
            _loadKw[meter] = Math.Clamp(_loadKw[meter] * (1 + ((_random.NextDouble() - 0.5) * 2 * wander)), 5, 150);
            _importKwh[meter] += (long)Math.Round(_loadKw[meter] * minutes / 60 * 100);
            _reactiveKvarh[meter] += (long)Math.Round(_loadKw[meter] * 0.33 * minutes / 60 * 100);
            _voltage[meter] = Math.Clamp(_voltage[meter] + ((_random.NextDouble() - 0.5) * 0.8), 215, 240);
            _frequency[meter] = Math.Clamp(_frequency[meter] + ((_random.NextDouble() - 0.5) * 0.02), 49.9, 50.1);
        }

        private FixedDecimal Value(int meter, int point)
        {
            var noise = _random.NextDouble() - 0.5;
            var current = _loadKw[meter] * 1000 / (1.732 * 380 * 0.95);
            return point switch
            {
                0 => new FixedDecimal(_importKwh[meter], 2),                                         // kWh XXXXXX.XX
                1 => new FixedDecimal(_reactiveKvarh[meter], 2),                                     // kvarh
                2 => new FixedDecimal((long)Math.Round((_voltage[meter] + (noise * 0.4)) * 10), 1),  // V XXX.X phase A
                3 => new FixedDecimal((long)Math.Round((_voltage[meter] - 1 + (noise * 0.4)) * 10), 1), // phase B
                4 => new FixedDecimal((long)Math.Round((current + (noise * 0.2)) * 1000), 3),       // A XXX.XXX
                5 => new FixedDecimal((long)Math.Round((_loadKw[meter] + (noise * 0.5)) * 10000), 4), // kW XX.XXXX
                6 => new FixedDecimal((long)Math.Round((0.95 + (noise * 0.01)) * 1000), 3),         // PF X.XXX
                _ => new FixedDecimal((long)Math.Round(_frequency[meter] * 100), 2),                 // Hz XX.XX
            };
        }
    }
}
