using System.Globalization;

namespace EdgeMeter.PlatformSim.Records;

/// <summary>
/// How the platform's data-quality rules judge what an enterprise sent, per data item (GET /_sim/quality): the
/// current value of each period is the latest record of its natural key (a correction replaces the value before
/// it); the real-time values of a day sum to its daily value, the days of a month to the monthly value (the public
/// rule allows 5 %, "exact" says whether they agree to the last digit); completeness is the share of a day's
/// real-time intervals with a valid value, against the 90 % rule.
/// </summary>
internal static class QualityReport
{
    public const decimal MonthTolerancePercent = 5m;
    public const decimal CompletenessTargetPercent = 90m;

    public static IReadOnlyList<ItemQuality> Of(IEnumerable<SimRecord> records)
    {
        var current = records.GroupBy(r => r.NaturalKey).Select(g => g.MaxBy(r => r.Sequence)!);
        return current.GroupBy(r => (r.EnterpriseCode, r.DataCode))
            .OrderBy(g => g.Key.EnterpriseCode, StringComparer.Ordinal).ThenBy(g => g.Key.DataCode, StringComparer.Ordinal)
            .Select(g => Item(g.Key.EnterpriseCode, g.Key.DataCode, [.. g]))
            .ToList();
    }

    private static ItemQuality Item(string enterprise, string dataCode, List<SimRecord> records)
    {
        var byType = records.ToLookup(r => r.StatType);
        var realtime = byType["0"].Select(r => (Time: Parse(r.StatDate), Record: r)).ToList();
        var intervalMinutes = IntervalMinutes(realtime.Select(r => r.Time));
        var days = byType["1"].Select(r => Day(r, realtime, intervalMinutes)).OrderBy(d => d.Day, StringComparer.Ordinal).ToList();
        var months = byType["2"].Select(r => Month(r, byType["1"])).OrderBy(m => m.Month, StringComparer.Ordinal).ToList();
        var counts = Enumerable.Range(0, 4).ToDictionary(t => t.ToString(CultureInfo.InvariantCulture), t => byType[t.ToString(CultureInfo.InvariantCulture)].Count());
        return new ItemQuality(enterprise, dataCode, counts, intervalMinutes, days, months,
            days.Count(d => !d.Exact) + months.Count(m => !m.WithinRule), days.Count(d => d.CompletenessPercent < CompletenessTargetPercent));
    }

    private static DayQuality Day(SimRecord daily, List<(DateTime Time, SimRecord Record)> realtime, int intervalMinutes)
    {
        var start = Parse(daily.StatDate);
        var parts = realtime.Where(r => r.Time >= start && r.Time < start.AddDays(1)).Select(r => r.Record).ToList();
        var sum = parts.Sum(p => decimal.Parse(p.DataValue, CultureInfo.InvariantCulture));
        var value = decimal.Parse(daily.DataValue, CultureInfo.InvariantCulture);
        var intervals = 24 * 60 / intervalMinutes;
        var valid = parts.Count(p => p.Valid == "1");
        return new DayQuality(daily.StatDate[..10], daily.DataValue, daily.Valid == "1", Text(sum), parts.Count, valid,
            Math.Round(100m * valid / intervals, 1), parts.Count == intervals && sum == value);
    }

    private static MonthQuality Month(SimRecord monthly, IEnumerable<SimRecord> dailies)
    {
        var start = Parse(monthly.StatDate);
        var days = dailies.Where(d => Parse(d.StatDate) is var t && t >= start && t < start.AddMonths(1)).ToList();
        var sum = days.Sum(d => decimal.Parse(d.DataValue, CultureInfo.InvariantCulture));
        var value = decimal.Parse(monthly.DataValue, CultureInfo.InvariantCulture);
        var deviation = value == 0 ? (sum == 0 ? 0 : 100) : Math.Round(100m * Math.Abs(sum - value) / Math.Abs(value), 4);
        return new MonthQuality(monthly.StatDate[..7], monthly.DataValue, monthly.Valid == "1", Text(sum), days.Count, deviation,
            deviation <= MonthTolerancePercent, sum == value);
    }

    /// <summary>The smallest step between real-time stamps (15, 30 or 60 minutes); 15 when there are too few to tell.</summary>
    private static int IntervalMinutes(IEnumerable<DateTime> stamps)
    {
        var sorted = stamps.Distinct().Order().ToList();
        var step = sorted.Zip(sorted.Skip(1), (a, b) => (int)(b - a).TotalMinutes).DefaultIfEmpty(15).Min();
        return step is 30 or 60 ? step : 15;
    }

    private static DateTime Parse(string statDate) => DateTime.ParseExact(statDate, PlatformTime.DateFormat, CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed record ItemQuality(
    string EnterpriseCode, string DataCode, IReadOnlyDictionary<string, int> RecordsByStatType, int IntervalMinutes,
    IReadOnlyList<DayQuality> Days, IReadOnlyList<MonthQuality> Months, int ReconciliationFailures, int DaysBelowCompleteness);

/// <summary>One day: its value, the sum of its real-time values, how many came and were valid, and whether they agree exactly.</summary>
public sealed record DayQuality(string Day, string Value, bool Valid, string IntervalSum, int Intervals, int ValidIntervals, decimal CompletenessPercent, bool Exact);

/// <summary>One month: its value, the sum of its days, the deviation in percent, within the 5 % rule, exactly equal.</summary>
public sealed record MonthQuality(string Month, string Value, bool Valid, string DaySum, int Days, decimal DeviationPercent, bool WithinRule, bool Exact);
