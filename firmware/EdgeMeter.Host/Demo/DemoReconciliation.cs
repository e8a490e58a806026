using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// Judges what one platform holds, independently of the receiver's code: counts its current records (the latest
/// of each natural key) per statType, takes its quality report (intervals to days, days to months, completeness)
/// and recomputes every consumption value from the gateways' own traces. A boundary register is the reading at
/// the boundary, else the straight line between the readings around it, rounded half away from zero at their
/// finer scale (docs/indicators.md); a value is the sum over the item's terms of end minus start, and a month
/// counts from its first day the platform holds.
/// </summary>
internal sealed class DemoReconciliation(DemoPlan plan, DemoCalendar calendar, IEnumerable<TraceReading> taken, string[] enterprises)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly Dictionary<(string, string, string), List<TraceReading>> _series = taken
        .GroupBy(r => (r.Gateway, r.Meter, r.Point))
        .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Time).Select(t => t.First()).OrderBy(r => r.Time).ToList());

    public PlatformIndicatorFigures Judge(JsonArray records, JsonArray quality)
    {
        var current = records.OfType<JsonObject>()
            .GroupBy(r => ((string)r["enterpriseCode"]!, (string)r["dataCode"]!, (string)r["statType"]!, (string)r["statDate"]!))
            .Select(g => g.MaxBy(r => (long)r["sequence"]!)!)
            .ToList();
        var count = (string type) => (long)current.Count(r => (string)r["statType"]! == type);
        var days = calendar.DaysUtc.Select(d => (d + Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();
        var judged = quality.OfType<JsonObject>().ToList();
        var completeness = judged.SelectMany(i => i["days"]!.AsArray().OfType<JsonObject>())
            .Where(d => days.Contains((string)d["day"]!)).Select(d => (double)d["completenessPercent"]!).DefaultIfEmpty(0).Min();
        var failures = judged.Sum(i => (long)i["reconciliationFailures"]!) + current.Count(r => !MatchesReadings(r, current));
        return new PlatformIndicatorFigures(count("0"), count("1"), count("2"), completeness, failures, MissingDays(current, days));
    }

    /// <summary>Daily values of the whole simulated days that an item routed here does not have.</summary>
    private long MissingDays(List<JsonObject> current, HashSet<string> days)
    {
        var held = current.Where(r => (string)r["statType"]! == "1")
            .Select(r => ((string)r["enterpriseCode"]!, (string)r["dataCode"]!, ((string)r["statDate"]!)[..10])).ToHashSet();
        return plan.Items.Where(i => enterprises.Contains(i.Enterprise))
            .Sum(item => days.Count(day => !held.Contains((item.Enterprise, item.DataCode, day))));
    }

    private bool MatchesReadings(JsonObject record, List<JsonObject> current)
    {
        var item = plan.Items.SingleOrDefault(i => i.Enterprise == (string)record["enterpriseCode"]! && i.DataCode == (string)record["dataCode"]!);
        if (item is null)
        {
            return false;
        }

        if (item.Kind != "Consumption")
        {
            return true; // averages and instants: judged by the quality rules only
        }

        // Periods in Beijing wall-clock time (a month ends on the 1st there), then as UTC instants.
        var local = DateTime.ParseExact((string)record["statDate"]!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var start = local - Beijing;
        var end = (string)record["statType"]! switch
        {
            "0" => local.AddMinutes(15),
            "1" => local.AddDays(1),
            _ => local.AddMonths(1),
        } - Beijing;
        if ((string)record["statType"]! == "2")
        {
            start = FirstHeldDay(item, start, end, current) ?? start;
        }

        var expected = Consumption(item, start, end);
        return expected is not null && decimal.Parse((string)record["dataValue"]!, CultureInfo.InvariantCulture) == expected.Value;
    }

    private static DateTime? FirstHeldDay(DemoItem item, DateTime start, DateTime end, List<JsonObject> current) =>
        current.Where(r => (string)r["statType"]! == "1" && (string)r["enterpriseCode"]! == item.Enterprise && (string)r["dataCode"]! == item.DataCode)
            .Select(r => DateTime.ParseExact((string)r["statDate"]!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) - Beijing)
            .Where(d => d >= start && d < end).Order().Cast<DateTime?>().FirstOrDefault();

    private decimal? Consumption(DemoItem item, DateTime start, DateTime end)
    {
        var total = 0m;
        foreach (var term in item.Terms)
        {
            if (Register(term, start) is not { } from || Register(term, end) is not { } to)
            {
                return null;
            }

            total += to - from;
        }

        return total;
    }

    private decimal? Register(DemoTerm term, DateTime time)
    {
        if (!_series.TryGetValue((term.Gateway, term.Meter, term.Point), out var readings))
        {
            return null;
        }

        var after = readings.FindIndex(r => r.Time >= time);
        if (after < 0 || (after == 0 && readings[0].Time != time))
        {
            return null;
        }

        if (readings[after].Time == time)
        {
            return decimal.Parse(readings[after].Value, CultureInfo.InvariantCulture);
        }

        var (a, b) = (readings[after - 1], readings[after]);
        return Interpolate(a.Value, b.Value, (time - a.Time).Ticks, (b.Time - a.Time).Ticks);
    }

    /// <summary>a + (b - a) x num / den at the finer scale of a and b, rounded half away from zero, in integers.</summary>
    private static decimal Interpolate(string a, string b, long numerator, long denominator)
    {
        var scale = Math.Max(Scale(a), Scale(b));
        var x = Mantissa(a, scale);
        var y = Mantissa(b, scale);
        var product = (y - x) * numerator;
        var quotient = BigInteger.DivRem(product, denominator, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= denominator)
        {
            quotient += product.Sign < 0 ? -1 : 1;
        }

        return decimal.Parse((x + quotient).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) / Pow10(scale);
    }

    private static int Scale(string value) => value.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? value.Length - dot - 1 : 0;

    private static BigInteger Mantissa(string value, int scale) =>
        BigInteger.Parse(value.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) * BigInteger.Pow(10, scale - Scale(value));

    private static decimal Pow10(int scale) => scale == 0 ? 1m : 10m * Pow10(scale - 1);
}
