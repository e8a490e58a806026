using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using static EdgeMeter.Receiver.Tests.Indicators.ItemFixtures;

namespace EdgeMeter.Receiver.Tests.Indicators;

/// <summary>
/// Random readings (any poll times, rollovers, resets, gaps) against an independent oracle written with
/// System.Decimal: every interval equals the oracle's boundary difference, and the day always equals the exact
/// sum of its intervals and the month the exact sum of its days.
/// </summary>
public class ItemCalculatorPropertyTests
{
    private static readonly DateTime Day1 = Beijing(2028, 2, 28);

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void Days_are_exactly_the_sum_of_their_intervals_and_match_the_oracle(int seed, bool wrapping)
    {
        var random = new Random(seed);
        for (var run = 0; run < 20; run++)
        {
            var samples = RandomReadings(random, Day1.AddHours(-1), Day1.AddDays(2).AddHours(1), wrapping);
            var term = new ItemTerm(Feeder, D("1")) { RegisterMax = wrapping ? D("999999.99") : null };
            var item = Consumption(term) with { IntervalMinutes = BeijingCalendar.IntervalChoices[random.Next(3)] };
            var tracks = Tracks(item, new Dictionary<SeriesKey, IReadOnlyList<Sample>> { [Feeder] = samples }, maxGap: TimeSpan.FromHours(2));
            var oracle = new Oracle(samples, wrapping ? 1_000_000m : null);

            var days = new List<PeriodValue>();
            foreach (var dayStart in new[] { Day1, Day1.AddDays(1) })
            {
                var (intervals, day) = ItemCalculator.Day(item, tracks, dayStart);
                Assert.All(intervals, i => Assert.Equal(oracle.Used(i.Period.StartUtc, i.Period.EndUtc), ToDecimal(i.Value!.Value)));
                Assert.Equal(oracle.Used(dayStart, dayStart.AddDays(1)), ToDecimal(day.Value!.Value));
                Assert.True(day.Value!.Value.ValueEquals(intervals.Select(i => i.Value!.Value).Aggregate(ExactMath.Add)));
                days.Add(day);
            }

            var month = ItemCalculator.Aggregate(item, new IndicatorPeriod(StatType.Month, Day1, Day1.AddDays(2)), days);
            Assert.True(month.Value!.Value.ValueEquals(ExactMath.Add(days[0].Value!.Value, days[1].Value!.Value)));
        }
    }

    /// <summary>Polls at random moments, sometimes on the quarter hour, with rollovers or resets and long gaps.</summary>
    private static IReadOnlyList<Sample> RandomReadings(Random random, DateTime from, DateTime to, bool wrapping)
    {
        var samples = new List<Sample>();
        var value = wrapping ? 999_000m + random.Next(900) : random.Next(100_000);
        var time = from;
        while (time < to)
        {
            samples.Add(new Sample(time, ToFixed(value), SampleSource.Polled, samples.Count + 1));
            var step = random.Next(10) switch
            {
                0 => TimeSpan.FromMinutes(15 * random.Next(1, 12)),                   // a gap of up to ~3 h, on the quarter hour
                < 5 => TimeSpan.FromMinutes(15),                                      // a 15-minute poll on the boundary
                _ => TimeSpan.FromSeconds(random.Next(30, 1800)),                     // anywhere
            };
            time += step;
            value += random.Next(0, 5000) / 100m;
            if (wrapping && value > 999_999.99m)
            {
                value -= 1_000_000m;
            }
            else if (!wrapping && random.Next(200) == 0)
            {
                value = random.Next(0, 100);                                          // a reset: the register starts again
            }
        }

        samples.Add(new Sample(time, ToFixed(value), SampleSource.Polled, samples.Count + 1));
        return samples;
    }

    private static FixedDecimal ToFixed(decimal value) => D(value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));

    private static decimal ToDecimal(FixedDecimal value) => decimal.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The same rules written again, plainly: unroll, interpolate (half away from zero at 2 decimals), subtract.</summary>
    private sealed class Oracle
    {
        private readonly List<(DateTime Time, decimal Value)> _continuous = [];

        public Oracle(IReadOnlyList<Sample> samples, decimal? modulus)
        {
            var offset = 0m;
            for (var i = 0; i < samples.Count; i++)
            {
                var value = ToDecimal(samples[i].Value);
                if (i > 0 && value < ToDecimal(samples[i - 1].Value))
                {
                    offset += modulus ?? ToDecimal(samples[i - 1].Value) - value;
                }

                _continuous.Add((samples[i].TimeUtc, value + offset));
            }
        }

        public decimal Used(DateTime start, DateTime end) => At(end) - At(start);

        private decimal At(DateTime time)
        {
            var after = _continuous.FindIndex(p => p.Time >= time);
            if (_continuous[after].Time == time)
            {
                return _continuous[after].Value;
            }

            var (t0, v0) = _continuous[after - 1];
            var (t1, v1) = _continuous[after];
            var exact = v0 + ((v1 - v0) * (time - t0).Ticks / (t1 - t0).Ticks);
            return Math.Round(exact, 2, MidpointRounding.AwayFromZero);
        }
    }
}
