using EdgeMeter.Core.Values;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>
/// An item's value for one period, or why it has none. <see cref="Value"/> is null while the data cannot form it
/// (no reading after the period's end yet, or none at all); such a period is never uploaded. <see cref="Readings"/>
/// are the stored readings it was computed from (the boundary readings of each term, or the averaged ones).
/// </summary>
public sealed record PeriodValue(IndicatorPeriod Period, FixedDecimal? Value, IndicatorFlags Flags, IReadOnlyList<long> Readings)
{
    public bool Valid => Value is not null && (Flags & IndicatorFlagNames.Untrusted) == 0;

    public static PeriodValue Missing(IndicatorPeriod period, IndicatorFlags flags = IndicatorFlags.None) => new(period, null, flags, []);
}
