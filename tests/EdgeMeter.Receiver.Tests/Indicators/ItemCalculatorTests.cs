using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using static EdgeMeter.Receiver.Tests.Indicators.ItemFixtures;

namespace EdgeMeter.Receiver.Tests.Indicators;

/// <summary>Each validation rule of docs/indicators.md, on a handful of readings.</summary>
public class ItemCalculatorTests
{
    private static readonly DateTime Ten = Beijing(2026, 5, 20, 10);

    [Fact]
    public void Readings_on_the_boundaries_give_exact_measured_intervals()
    {
        var item = Consumption();
        var tracks = Tracks(item, One(Feeder, Series((Ten, "100.00"), (Ten.AddMinutes(15), "101.25"))));

        var value = Interval(item, tracks, Ten);

        Assert.Equal("1.25", value.Value.ToString());
        Assert.Equal(IndicatorFlags.None, value.Flags);
        Assert.True(value.Valid);
        Assert.Equal([1L, 2L], value.Readings);
    }

    [Fact]
    public void A_boundary_between_polls_is_interpolated_and_flagged_estimated_but_valid()
    {
        var item = Consumption();
        var tracks = Tracks(item, One(Feeder, Series((Ten.AddMinutes(-5), "100.00"), (Ten.AddMinutes(5), "101.00"), (Ten.AddMinutes(15), "102.00"))));

        var value = Interval(item, tracks, Ten);

        Assert.Equal("1.50", value.Value.ToString());        // 100.50 at 10:00 by interpolation
        Assert.Equal(IndicatorFlags.Estimated, value.Flags);
        Assert.True(value.Valid);
    }

    [Fact]
    public void Interpolating_across_a_gap_longer_than_the_limit_is_not_trusted()
    {
        var item = Consumption();
        var tracks = Tracks(item, One(Feeder, Series((Ten.AddHours(-2), "100.00"), (Ten.AddMinutes(15), "105.00"))), maxGap: Hour);

        var value = Interval(item, tracks, Ten);

        Assert.True((value.Flags & IndicatorFlags.Gap) != 0);
        Assert.False(value.Valid);
    }

    [Fact]
    public void A_register_wrapping_at_its_maximum_is_unrolled()
    {
        var item = Consumption(new ItemTerm(Feeder, D("1")) { RegisterMax = D("999999.99") });
        var tracks = Tracks(item, One(Feeder, Series((Ten, "999999.50"), (Ten.AddMinutes(15), "0.70"))));

        var value = Interval(item, tracks, Ten);

        Assert.Equal("1.20", value.Value.ToString());
        Assert.Equal(IndicatorFlags.Rollover, value.Flags);
        Assert.True(value.Valid);
    }

    [Fact]
    public void A_register_with_more_decimals_than_its_maximum_wraps_at_the_maximums_resolution()
    {
        // A CT ratio gives the readings three decimals; the register still wraps at 1000000.00 (999999.99 + 0.01).
        var item = Consumption(new ItemTerm(Feeder, D("1")) { RegisterMax = D("999999.99") });
        var tracks = Tracks(item, One(Feeder, Series((Ten, "999999.500"), (Ten.AddMinutes(15), "0.700"))));

        var value = Interval(item, tracks, Ten);

        Assert.Equal("1.200", value.Value.ToString());
        Assert.Equal(IndicatorFlags.Rollover, value.Flags);
    }

    [Fact]
    public void A_register_going_backwards_without_a_replacement_is_a_reset_and_not_valid()
    {
        var item = Consumption();
        var tracks = Tracks(item, One(Feeder, Series((Ten, "500.00"), (Ten.AddMinutes(15), "3.00"), (Ten.AddMinutes(30), "4.00"))));

        var reset = Interval(item, tracks, Ten);
        var after = Interval(item, tracks, Ten.AddMinutes(15));

        Assert.Equal("0.00", reset.Value.ToString());
        Assert.Equal(IndicatorFlags.Reset, reset.Flags);
        Assert.False(reset.Valid);
        Assert.Equal("1.00", after.Value.ToString());
        Assert.True(after.Valid);
    }

    [Fact]
    public void A_meter_replaced_mid_interval_continues_the_item_across_it()
    {
        var item = Consumption();
        var replacement = new MeterReplacement(Feeder, Ten.AddMinutes(7), D("1000.00"), D("0.50"));
        var tracks = Tracks(item, One(Feeder, Series((Ten, "998.00"), (Ten.AddMinutes(5), "999.20"), (Ten.AddMinutes(15), "1.30"))), [replacement]);

        var value = Interval(item, tracks, Ten);

        // Old meter 998.00 -> 1000.00 (2.00), new meter 0.50 -> 1.30 (0.80).
        Assert.Equal("2.80", value.Value.ToString());
        Assert.Equal(IndicatorFlags.Replaced, value.Flags);
        Assert.True(value.Valid);
    }

    [Fact]
    public void More_than_the_maximum_demand_allows_is_a_spike()
    {
        var item = Consumption(new ItemTerm(Feeder, D("1")) { MaxDemand = D("100") });     // 25 kWh per quarter hour at most
        var tracks = Tracks(item, One(Feeder, Series((Ten, "0.00"), (Ten.AddMinutes(15), "25.00"), (Ten.AddMinutes(30), "60.00"))));

        Assert.True(Interval(item, tracks, Ten).Valid);
        var spike = Interval(item, tracks, Ten.AddMinutes(15));
        Assert.Equal(IndicatorFlags.Spike, spike.Flags);
        Assert.False(spike.Valid);
    }

    [Fact]
    public void A_register_that_stands_still_while_power_is_drawn_is_stuck()
    {
        var item = Consumption(new ItemTerm(Feeder, D("1")) { MaxDemand = D("100"), PowerSeries = Power });
        var samples = new Dictionary<SeriesKey, IReadOnlyList<Sample>>
        {
            [Feeder] = Series((Ten, "50.00"), (Ten.AddMinutes(15), "50.00"), (Ten.AddMinutes(30), "50.00")),
            [Power] = Series((Ten, "40.0"), (Ten.AddMinutes(5), "41.0"), (Ten.AddMinutes(15), "0.0"), (Ten.AddMinutes(20), "0.0")),
        };
        var tracks = Tracks(item, samples);

        var stuck = Interval(item, tracks, Ten);
        var idle = Interval(item, tracks, Ten.AddMinutes(15));

        Assert.Equal(IndicatorFlags.Stuck, stuck.Flags);
        Assert.False(stuck.Valid);
        Assert.True(idle.Valid);
        Assert.Equal("0.00", idle.Value.ToString());
    }

    [Fact]
    public void Readings_taken_with_an_unsynchronized_clock_are_noted_but_not_used()
    {
        var item = Consumption();
        var term = item.Terms[0];
        var track = RegisterTrack.Continuous(Series((Ten, "10.00"), (Ten.AddMinutes(15), "11.00")), [], term, Hour, [Ten.AddMinutes(7)]);
        var tracks = new ItemTracks(new Dictionary<SeriesKey, RegisterTrack> { [Feeder] = track }, new Dictionary<SeriesKey, RegisterTrack>());

        var value = Interval(item, tracks, Ten);

        Assert.Equal("1.00", value.Value.ToString());
        Assert.Equal(IndicatorFlags.Unsynchronized, value.Flags);
        Assert.True(value.Valid);
    }

    [Fact]
    public void Frozen_midnights_make_a_valid_day_over_an_outage_whose_intervals_are_not_trusted()
    {
        var item = Consumption();
        var day = Beijing(2026, 5, 20);
        var samples = new List<Sample>
        {
            new(day, D("1000.00"), SampleSource.Frozen, 1),
            new(day.AddDays(1), D("1240.00"), SampleSource.Frozen, 2),
        };
        var tracks = Tracks(item, One(Feeder, samples));

        var (intervals, whole) = ItemCalculator.Day(item, tracks, day);

        Assert.Equal("240.00", whole.Value.ToString());
        Assert.True(whole.Valid);
        Assert.Equal(IndicatorFlags.Frozen, whole.Flags);
        Assert.All(intervals, i => Assert.False(i.Valid));
        Assert.Equal(96, intervals.Count);
    }

    [Fact]
    public void A_formula_adds_and_subtracts_its_terms_exactly()
    {
        var item = Consumption(new ItemTerm(Feeder, D("1")), new ItemTerm(Export, D("-1")));
        var tracks = Tracks(item, new Dictionary<SeriesKey, IReadOnlyList<Sample>>
        {
            [Feeder] = Series((Ten, "100.00"), (Ten.AddMinutes(15), "110.00")),
            [Export] = Series((Ten, "20.000"), (Ten.AddMinutes(15), "22.125")),
        });

        Assert.Equal("7.875", Interval(item, tracks, Ten).Value.ToString());
    }

    [Fact]
    public void A_period_without_a_reading_after_it_has_no_value_yet()
    {
        var item = Consumption();
        var tracks = Tracks(item, One(Feeder, Series((Ten, "100.00"), (Ten.AddMinutes(10), "101.00"))));

        var value = Interval(item, tracks, Ten);

        Assert.Null(value.Value);
        Assert.False(value.Valid);
    }

    [Fact]
    public void Averages_and_instants_read_the_period_and_its_start()
    {
        var average = Consumption() with { Kind = ItemKind.Average, Unit = "kW" };
        var instant = average with { Kind = ItemKind.Instant };
        var samples = One(Feeder, Series((Ten, "10.0"), (Ten.AddMinutes(5), "20.0"), (Ten.AddMinutes(10), "31.0"), (Ten.AddMinutes(15), "40.0")));

        Assert.Equal("20.33", Interval(average, Tracks(average, samples), Ten).Value.ToString());
        Assert.Equal("10.0", Interval(instant, Tracks(instant, samples), Ten).Value.ToString());
    }

    private static PeriodValue Interval(DataItem item, ItemTracks tracks, DateTime start) =>
        ItemCalculator.Period(item, tracks, BeijingCalendar.PeriodOf(StatType.RealTime, start, item.IntervalMinutes));

    private static Dictionary<SeriesKey, IReadOnlyList<Sample>> One(SeriesKey series, IReadOnlyList<Sample> samples) => new() { [series] = samples };
}
