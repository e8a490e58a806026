using System.Data.Common;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>What the console's pages read from the store.</summary>
internal static class ConsoleQueries
{
    /// <summary>Every gateway with its latest signed status, those needing attention first.</summary>
    public static IReadOnlyList<FleetRow> Rows(DbConnection db) =>
        db.Query("SELECT gw, state, last_seen FROM gateways", r => (Gateway: r.GetString(0), State: r.NullableString(1), LastSeen: r.GetString(2)))
            .Select(g => ConsolePages.Row(g.Gateway, g.State, g.LastSeen, GatewayCommissioning.LatestStatus(db, g.Gateway)))
            .OrderByDescending(row => row.NeedsAttention)
            .ThenBy(row => row.Gateway, StringComparer.Ordinal)
            .ToList();

    /// <summary>An item's values around a Beijing day: its intervals, the days of its month, the months of its year.</summary>
    public static EnergyView Energy(DbConnection db, DataItem item, DateOnly day)
    {
        var dayStart = IndicatorQueries.Beijing(day.ToDateTime(TimeOnly.MinValue));
        var month = new DateOnly(day.Year, day.Month, 1);
        var year = new DateOnly(day.Year, 1, 1);
        var intervals = Slots(db, item, StatType.RealTime, dayStart, dayStart.AddDays(1), item.IntervalsPerDay, i => dayStart.AddMinutes(i * 24 * 60 / item.IntervalsPerDay), "HH:mm");
        var monthStart = IndicatorQueries.Beijing(month.ToDateTime(TimeOnly.MinValue));
        var days = Slots(db, item, StatType.Day, monthStart, monthStart.AddMonths(1), DateTime.DaysInMonth(day.Year, day.Month), i => monthStart.AddDays(i), "%d");
        var yearStart = IndicatorQueries.Beijing(year.ToDateTime(TimeOnly.MinValue));
        var months = Slots(db, item, StatType.Month, yearStart, yearStart.AddYears(1), 12, i => yearStart.AddMonths(i), "%M");
        return new EnergyView(item, day, decimal.Parse(item.ConvertRation.ToString(), System.Globalization.CultureInfo.InvariantCulture), intervals, days, months);
    }

    private static List<(string Label, string? Value)> Slots(
        DbConnection db, DataItem item, StatType type, DateTime fromUtc, DateTime toUtc, int count, Func<int, DateTime> startOf, string labelFormat)
    {
        var values = IndicatorQueries.Values(db, item, (int)type, fromUtc, toUtc, 10_000).ToDictionary(v => v.StatDate, v => v.Value);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var beijing = startOf(i) + BeijingCalendar.Offset;
            return (beijing.ToString(labelFormat, System.Globalization.CultureInfo.InvariantCulture),
                values.GetValueOrDefault(beijing.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
        })];
    }

    /// <summary>Each item's completeness on every Beijing day of a month, and how often each flag was raised on its intervals.</summary>
    public static QualityView Quality(DbConnection db, ItemCatalogue items, DateOnly month, int targetPercent)
    {
        var days = Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month)).Select(month.AddDays).ToList();
        var byDay = days.Select(day => IndicatorQueries.Completeness(db, items, day, targetPercent).ToDictionary(c => (c.Enterprise, c.DataCode))).ToList();
        var from = IndicatorQueries.Beijing(month.ToDateTime(TimeOnly.MinValue));
        var rows = items.Items.Select(item =>
        {
            var flags = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var raised in db.Query(
                "SELECT flags FROM indicators WHERE item = @c AND stat_type = 0 AND start_t >= @from AND start_t < @to AND flags != 0",
                r => (IndicatorFlags)r.GetInt32(0), ("@c", item.Key), ("@from", SampleReader.ToMs(from)), ("@to", SampleReader.ToMs(from.AddMonths(1)))))
            {
                foreach (var name in IndicatorFlagNames.Of(raised))
                {
                    flags[name] = flags.GetValueOrDefault(name) + 1;
                }
            }

            return new QualityRow(item, [.. byDay.Select(day => day[(item.Enterprise, item.DataCode)].Percent)], flags);
        }).ToList();
        return new QualityView(month, targetPercent, rows);
    }

    /// <summary>
    /// A meter point's readings on a Beijing day (at most 2000), oldest first, found through the indicators' samples,
    /// which are kept by series and time for every point an item reads (no index on readings by series: see SqliteSchema).
    /// </summary>
    public static IReadOnlyList<ReadingRow> Readings(DbConnection db, SeriesKey series, DateOnly day)
    {
        var from = IndicatorQueries.Beijing(day.ToDateTime(TimeOnly.MinValue));
        return db.Query(
            """
            SELECT r.n, r.t, r.val, r.unit, r.flags FROM series s
            JOIN (SELECT series, t, reading_id FROM samples UNION ALL SELECT series, t, reading_id FROM unsynced_samples) x
                ON x.series = s.id AND x.t >= @from AND x.t < @to
            JOIN readings r ON r.id = x.reading_id
            WHERE s.gw = @gw AND s.meter = @meter AND s.point = @point
            ORDER BY r.t, r.n LIMIT 2000
            """,
            r => new ReadingRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)),
            ("@gw", series.Gateway), ("@meter", series.Meter), ("@point", series.Point),
            ("@from", SampleReader.ToMs(from)), ("@to", SampleReader.ToMs(from.AddDays(1))));
    }

    /// <summary>The newest 100 messages platforms pushed, with where each was forwarded.</summary>
    public static IReadOnlyList<MessageRow> Messages(DbConnection db) =>
        db.Query(
            "SELECT received_at, platform, account, text, forwarded FROM platform_messages ORDER BY id DESC LIMIT 100",
            r => new MessageRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                string.Join("; ", (System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4)) ?? []).Select(pair => $"{pair.Key}: {pair.Value}"))));
}
