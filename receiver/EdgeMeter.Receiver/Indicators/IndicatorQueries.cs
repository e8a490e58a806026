using System.Data.Common;
using System.Globalization;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>Completeness of one item on one Beijing day: trusted intervals out of the day's.</summary>
public sealed record ItemCompleteness(string Enterprise, string DataCode, string Name, string Day, int ValidIntervals, int Intervals, double Percent, bool BelowTarget);

/// <summary>An indicator value as the admin API lists it.</summary>
public sealed record IndicatorView(
    string Enterprise, string DataCode, int StatType, string StatDate, string? Value, bool Valid, string[] Flags, bool Final, int Revision, string? UploadedValue);

/// <summary>One stored reading an indicator value was computed from, and the signed packet that carried it.</summary>
public sealed record TraceReading(long ReadingId, string Gateway, long N, string Meter, string Point, string Time, string Value, long PacketSeq);

/// <summary>The read side of the indicators for the admin API and metrics; plus recording a meter replacement.</summary>
public static class IndicatorQueries
{
    /// <summary>The most readings a trace lists (an average over a month reads thousands).</summary>
    public const int MaxTraced = 2000;

    /// <summary>Each item's completeness on the Beijing day <paramref name="day"/> (yyyy-MM-dd).</summary>
    public static IReadOnlyList<ItemCompleteness> Completeness(DbConnection db, ItemCatalogue items, DateOnly day, int targetPercent)
    {
        var start = Beijing(day.ToDateTime(TimeOnly.MinValue));
        return items.Items.Select(item =>
        {
            var valid = (int)(db.ScalarLong(
                "SELECT COUNT(*) FROM indicators WHERE item = @c AND stat_type = 0 AND start_t >= @from AND start_t < @to AND valid = 1",
                ("@c", item.Key), ("@from", SampleReader.ToMs(start)), ("@to", SampleReader.ToMs(start.AddDays(1)))) ?? 0);
            var percent = Math.Round(100.0 * valid / item.IntervalsPerDay, 1);
            return new ItemCompleteness(item.Enterprise, item.DataCode, item.Name, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), valid, item.IntervalsPerDay, percent, percent < targetPercent);
        }).ToList();
    }

    public static IReadOnlyList<IndicatorView> Values(DbConnection db, DataItem? item, int? statType, DateTime? fromUtc, DateTime? toUtc, int limit) =>
        db.Query(
            """
            SELECT item, stat_type, start_t, value, valid, flags, final, revision, uploaded_value FROM indicators
            WHERE (CAST(@c AS TEXT) IS NULL OR item = @c) AND (CAST(@s AS BIGINT) IS NULL OR stat_type = @s) AND start_t >= @from AND start_t < @to
            ORDER BY start_t DESC, stat_type, item LIMIT @limit
            """,
            r => new IndicatorView(
                EnterpriseOf(r.GetString(0)), DataCodeOf(r.GetString(0)), r.GetInt32(1), PlatformTime.Format(PlatformTime.FromUtc(SampleReader.FromMs(r.GetInt64(2)))), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetInt32(4) == 1, IndicatorFlagNames.Of((IndicatorFlags)r.GetInt32(5)), r.GetInt32(6) == 1, r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8)),
            ("@c", item?.Key), ("@s", statType), ("@from", fromUtc is { } f ? SampleReader.ToMs(f) : long.MinValue), ("@to", toUtc is { } t ? SampleReader.ToMs(t) : long.MaxValue), ("@limit", limit));

    /// <summary>
    /// The readings a value comes from, computed again over the whole period: each term's boundary readings (a month
    /// or year from the day its item entered service), or the readings averaged (at most <see cref="MaxTraced"/>).
    /// </summary>
    public static IReadOnlyList<TraceReading> Trace(DbConnection db, DataItem item, IndicatorPeriod period, IndicatorOptions options)
    {
        if (period.Type is StatType.Month or StatType.Year && SampleReader.InService(db, item) is { } inService && inService > period.StartUtc)
        {
            period = period with { StartUtc = inService };
        }

        var tracks = SampleReader.Load(db, item, BeijingCalendar.DayStart(period.StartUtc), period.EndUtc, TimeSpan.FromMinutes(options.MaxInterpolationMinutes));
        var ids = ItemCalculator.Period(item, tracks, period).Readings.Distinct().Take(MaxTraced);
        return ids.Select(id => db.Query(
            "SELECT r.id, r.gw, r.n, r.meter, r.point, r.t, r.val, p.seq FROM readings r JOIN packets p ON p.id = r.packet_id WHERE r.id = @id",
            x => new TraceReading(x.GetInt64(0), x.GetString(1), x.GetInt64(2), x.GetString(3), x.GetString(4), x.GetString(5), x.GetString(6), x.GetInt64(7)),
            ("@id", id)).Single()).ToList();
    }

    /// <summary>Records a meter replacement and marks the items reading that point for computation from the reading before it.</summary>
    public static void RecordReplacement(DbConnection db, ItemCatalogue items, MeterReplacement replacement, string actor, DateTime now)
    {
        var series = replacement.Series;
        db.Execute(
            "INSERT INTO meter_replacements(gw, meter, point, at_t, old_final, new_initial, recorded_by, recorded_at) VALUES (@g, @m, @p, @t, @old, @new, @by, @at)",
            ("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point), ("@t", SampleReader.ToMs(replacement.AtUtc)),
            ("@old", replacement.OldFinal.ToString()), ("@new", replacement.NewInitial.ToString()), ("@by", actor), ("@at", Sql.Time(now)));
        var before = db.ScalarLong(
            "SELECT MAX(s.t) FROM samples s JOIN series x ON x.id = s.series WHERE x.gw = @g AND x.meter = @m AND x.point = @p AND s.t < @t",
            ("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point), ("@t", SampleReader.ToMs(replacement.AtUtc)));
        var from = before is { } ms ? SampleReader.FromMs(ms) : replacement.AtUtc;
        foreach (var item in items.ItemsReading(series))
        {
            SeriesFeeder.MarkDirty(db, item, from);
        }
    }

    public static object Replacements(DbConnection db) =>
        db.Query(
            "SELECT id, gw, meter, point, at_t, old_final, new_initial, recorded_by, recorded_at FROM meter_replacements ORDER BY at_t",
            r => new
            {
                id = r.GetInt64(0), gateway = r.GetString(1), meter = r.GetString(2), point = r.GetString(3),
                at = PacketTime(SampleReader.FromMs(r.GetInt64(4))), oldFinal = r.GetString(5), newInitial = r.GetString(6),
                recordedBy = r.GetString(7), recordedAt = r.GetString(8),
            });

    public static object Unmapped(DbConnection db) =>
        db.Query(
            "SELECT gw, meter, point, readings, first_seen, last_seen FROM unmapped_points ORDER BY gw, meter, point",
            r => new { gateway = r.GetString(0), meter = r.GetString(1), point = r.GetString(2), readings = r.GetInt64(3), firstSeen = r.GetString(4), lastSeen = r.GetString(5) });

    public static object Corrections(DbConnection db, int limit) =>
        db.Query(
            "SELECT item, stat_type, start_t, old_value, old_valid, new_value, new_valid, revision, created_at FROM indicator_corrections ORDER BY id DESC LIMIT @limit",
            r => new
            {
                enterprise = EnterpriseOf(r.GetString(0)), dataCode = DataCodeOf(r.GetString(0)), statType = r.GetInt32(1), statDate = PlatformTime.Format(PlatformTime.FromUtc(SampleReader.FromMs(r.GetInt64(2)))),
                oldValue = r.GetString(3), oldValid = r.GetInt32(4) == 1, newValue = r.GetString(5), newValid = r.GetInt32(6) == 1, revision = r.GetInt32(7), at = r.GetString(8),
            },
            ("@limit", limit));

    /// <summary>Counts for the summary lines: values uploaded (final) per statType, and corrections.</summary>
    public static (long[] FinalByType, long Corrections, long Unmapped) Totals(DbConnection db)
    {
        var finals = new long[4];
        foreach (var (type, count) in db.Query("SELECT stat_type, COUNT(*) FROM indicators WHERE final = 1 GROUP BY stat_type", r => (r.GetInt32(0), r.GetInt64(1))))
        {
            finals[type] = count;
        }

        return (finals, db.ScalarLong("SELECT COUNT(*) FROM indicator_corrections") ?? 0, db.ScalarLong("SELECT COUNT(*) FROM unmapped_points") ?? 0);
    }

    /// <summary>A Beijing wall-clock time as its UTC instant.</summary>
    public static DateTime Beijing(DateTime wallClock) => DateTime.SpecifyKind(wallClock - BeijingCalendar.Offset, DateTimeKind.Utc);

    private static string EnterpriseOf(string key) => key[..key.IndexOf('/')];

    private static string DataCodeOf(string key) => key[(key.IndexOf('/') + 1)..];

    private static string PacketTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The JSON body of POST /admin/meter-replacements.</summary>
public sealed record ReplacementRequest(string? Gateway, string? Meter, string? Point, string? At, string? OldFinal, string? NewInitial)
{
    /// <summary>The replacement, or a one-line problem naming the field.</summary>
    public (MeterReplacement? Replacement, string? Problem) Parse(ItemCatalogue items)
    {
        if (Gateway is null || Meter is null || Point is null)
        {
            return (null, "gateway, meter and point are required");
        }

        var series = new SeriesKey(Gateway, Meter, Point);
        if (!items.ItemsReading(series).Any(item => item.Terms.Any(term => term.Series == series)))
        {
            return (null, $"gateway/meter/point: {series} is no term of a data item (a register replaced is a term's point)");
        }

        if (At is null || !EdgeMeter.Core.Packet.PacketText.TryParseTime(At, out var at))
        {
            return (null, $"at: '{At}' is not a time like 2026-05-20T02:07:00Z (UTC)");
        }

        if (!FixedDecimal.TryParse(OldFinal ?? "", out var oldFinal) || oldFinal.Sign < 0)
        {
            return (null, $"oldFinal: '{OldFinal}' is not a non-negative exact decimal (the old meter's last register)");
        }

        if (!FixedDecimal.TryParse(NewInitial ?? "", out var newInitial) || newInitial.Sign < 0)
        {
            return (null, $"newInitial: '{NewInitial}' is not a non-negative exact decimal (the new meter's first register)");
        }

        return (new MeterReplacement(series, at, oldFinal, newInitial), null);
    }
}
