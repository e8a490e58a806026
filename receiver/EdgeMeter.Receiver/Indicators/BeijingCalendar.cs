using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>One indicator period: [StartUtc, EndUtc) of a statType. StatDate is its start in Beijing wall-clock time.</summary>
public readonly record struct IndicatorPeriod(StatType Type, DateTime StartUtc, DateTime EndUtc)
{
    public DateTime StatDate => PlatformTime.FromUtc(StartUtc);

    public override string ToString() => $"{Type} {PlatformTime.Format(StatDate)}";
}

/// <summary>
/// The platforms' calendar: Beijing time (UTC+8, no daylight saving). Intervals start at :00/:15/:30/:45 (or every
/// 30 or 60 minutes), a day at 00:00 Beijing (16:00 UTC the day before), a month on the 1st, a year on 1 January.
/// Every period is [start, end); a value is stamped with its start.
/// </summary>
public static class BeijingCalendar
{
    public static readonly TimeSpan Offset = PlatformTime.BeijingOffset;

    public static readonly int[] IntervalChoices = [15, 30, 60];

    public static DateTime DayStart(DateTime utc) => ToUtc(Local(utc).Date);

    public static DateTime MonthStart(DateTime utc)
    {
        var local = Local(utc);
        return ToUtc(new DateTime(local.Year, local.Month, 1));
    }

    public static DateTime YearStart(DateTime utc) => ToUtc(new DateTime(Local(utc).Year, 1, 1));

    /// <summary>The start of the interval holding <paramref name="utc"/>; whole hours apart, Beijing and UTC agree on it.</summary>
    public static DateTime IntervalStart(DateTime utc, int minutes)
    {
        var length = TimeSpan.FromMinutes(minutes).Ticks;
        return new DateTime(utc.Ticks - (utc.Ticks % length), DateTimeKind.Utc);
    }

    public static IndicatorPeriod PeriodOf(StatType type, DateTime utc, int intervalMinutes)
    {
        var start = type switch
        {
            StatType.RealTime => IntervalStart(utc, intervalMinutes),
            StatType.Day => DayStart(utc),
            StatType.Month => MonthStart(utc),
            _ => YearStart(utc),
        };
        return new IndicatorPeriod(type, start, EndOf(type, start, intervalMinutes));
    }

    public static DateTime EndOf(StatType type, DateTime startUtc, int intervalMinutes) => type switch
    {
        StatType.RealTime => startUtc.AddMinutes(intervalMinutes),
        StatType.Day => startUtc.AddDays(1),
        StatType.Month => ToUtc(Local(startUtc).AddMonths(1)),
        _ => ToUtc(Local(startUtc).AddYears(1)),
    };

    /// <summary>The sub-periods a period is the sum of: a day's intervals, a month's days, a year's months.</summary>
    public static IEnumerable<IndicatorPeriod> Parts(IndicatorPeriod period, int intervalMinutes)
    {
        var partType = period.Type switch
        {
            StatType.Day => StatType.RealTime,
            StatType.Month => StatType.Day,
            StatType.Year => StatType.Month,
            _ => throw new ArgumentException("an interval has no parts", nameof(period)),
        };
        for (var start = period.StartUtc; start < period.EndUtc; start = EndOf(partType, start, intervalMinutes))
        {
            yield return new IndicatorPeriod(partType, start, EndOf(partType, start, intervalMinutes));
        }
    }

    private static DateTime Local(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc) + Offset;

    private static DateTime ToUtc(DateTime local) => DateTime.SpecifyKind(local - Offset, DateTimeKind.Utc);
}
