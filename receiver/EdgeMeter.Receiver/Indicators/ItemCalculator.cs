using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>The samples of one item's series, ready to be read: one track per term, and the power tracks.</summary>
public sealed record ItemTracks(IReadOnlyDictionary<SeriesKey, RegisterTrack> Terms, IReadOnlyDictionary<SeriesKey, RegisterTrack> Power);

/// <summary>
/// Computes an item's values (docs/indicators.md): a day's intervals and the day itself from the term tracks, and
/// months and years from their parts. For consumption the day is the sum of its intervals, which telescopes to
/// register(24:00) - register(00:00) exactly because each boundary register is computed once; a month is the sum
/// of its days, a year of its months. A period's validity comes from its own boundaries and the events inside it,
/// so a day with a gap inside is still valid when both of its midnights were read.
/// </summary>
public static class ItemCalculator
{
    /// <summary>The day starting at <paramref name="dayStartUtc"/>: its intervals, in order, and the day.</summary>
    public static (IReadOnlyList<PeriodValue> Intervals, PeriodValue Day) Day(DataItem item, ItemTracks tracks, DateTime dayStartUtc)
    {
        var day = BeijingCalendar.PeriodOf(StatType.Day, dayStartUtc, item.IntervalMinutes);
        var intervals = BeijingCalendar.Parts(day, item.IntervalMinutes).Select(p => Period(item, tracks, p)).ToList();
        var whole = Period(item, tracks, day);
        if (item.Kind == ItemKind.Consumption)
        {
            // Same value as the boundary difference; summing the parts is what makes the reconciliation exact by construction.
            whole = whole with { Value = intervals.All(i => i.Value is not null) ? Sum(intervals.Select(i => i.Value!.Value)) : null };
        }

        return (intervals, whole);
    }

    /// <summary>A month from its days or a year from its months: null value unless every part has one.</summary>
    public static PeriodValue Aggregate(DataItem item, IndicatorPeriod period, IReadOnlyList<PeriodValue> parts)
    {
        var flags = parts.Aggregate(IndicatorFlags.None, (all, part) => all | part.Flags);
        if (parts.Count == 0 || parts.Any(p => p.Value is null))
        {
            return PeriodValue.Missing(period, flags);
        }

        var values = parts.Select(p => p.Value!.Value).ToList();
        var value = item.Kind switch
        {
            ItemKind.Consumption => Sum(values),
            ItemKind.Average => ExactMath.Mean(values),
            _ => values[0],
        };
        // A part that is not valid carries an untrusted flag, so the union makes the whole not valid either.
        return new PeriodValue(period, value, flags, []);
    }

    /// <summary>One period computed from the tracks directly (an interval, or a day's validity).</summary>
    public static PeriodValue Period(DataItem item, ItemTracks tracks, IndicatorPeriod period)
    {
        FixedDecimal total = new(0, 0);
        var flags = IndicatorFlags.None;
        var readings = new List<long>();
        foreach (var term in item.Terms)
        {
            var part = TermValue(item.Kind, term, tracks, period);
            if (part.Value is null)
            {
                return PeriodValue.Missing(period, flags | part.Flags);
            }

            total = ExactMath.Add(total, ExactMath.Multiply(part.Value.Value, term.Factor));
            flags |= part.Flags;
            readings.AddRange(part.Readings);
        }

        return new PeriodValue(period, total, flags, readings);
    }

    private static PeriodValue TermValue(ItemKind kind, ItemTerm term, ItemTracks tracks, IndicatorPeriod period)
    {
        var track = tracks.Terms[term.Series];
        var events = track.EventsWithin(period.StartUtc, period.EndUtc);
        switch (kind)
        {
            case ItemKind.Consumption:
                return Consumption(term, track, tracks, period, events);
            case ItemKind.Average:
                var samples = track.Within(period.StartUtc, period.EndUtc);
                return samples.Count == 0
                    ? PeriodValue.Missing(period)
                    : new PeriodValue(period, ExactMath.Mean(samples.Select(s => s.Value).ToList()), events & IndicatorFlags.Unsynchronized, samples.Select(s => s.ReadingId).ToList());
            default:
                return track.At(period.StartUtc) is { } at
                    ? new PeriodValue(period, at.Value, at.Flags | (events & IndicatorFlags.Unsynchronized), at.Readings)
                    : PeriodValue.Missing(period);
        }
    }

    private static PeriodValue Consumption(ItemTerm term, RegisterTrack track, ItemTracks tracks, IndicatorPeriod period, IndicatorFlags events)
    {
        if (track.At(period.StartUtc) is not { } start || track.At(period.EndUtc) is not { } end)
        {
            return PeriodValue.Missing(period);
        }

        var used = ExactMath.Subtract(end.Value, start.Value);
        var flags = start.Flags | end.Flags | events;
        if (term.MaxDemand is { } demand && FixedDecimal.Compare(used, RegisterTrack.AllowedFor(demand, period.EndUtc - period.StartUtc)) > 0)
        {
            flags |= IndicatorFlags.Spike;
        }

        if (used.IsZero && term.PowerSeries is { } power && PowerDrawn(tracks.Power[power], period, term.MaxDemand))
        {
            flags |= IndicatorFlags.Stuck;
        }

        return new PeriodValue(period, used, flags, [.. start.Readings, .. end.Readings]);
    }

    /// <summary>Power was drawn when the period's mean power exceeds 1 % of the maximum demand (or zero without one).</summary>
    private static bool PowerDrawn(RegisterTrack power, IndicatorPeriod period, FixedDecimal? maxDemand)
    {
        var samples = power.Within(period.StartUtc, period.EndUtc);
        if (samples.Count == 0)
        {
            return false;
        }

        var threshold = maxDemand is { } demand ? ExactMath.Multiply(demand, new FixedDecimal(1, 2)) : new FixedDecimal(0, 0);
        return FixedDecimal.Compare(ExactMath.Mean(samples.Select(s => s.Value).ToList()), threshold) > 0;
    }

    private static FixedDecimal Sum(IEnumerable<FixedDecimal> values) => values.Aggregate(new FixedDecimal(0, 0), ExactMath.Add);
}
