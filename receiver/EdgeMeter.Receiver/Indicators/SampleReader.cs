using System.Data.Common;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>Loads what an item's computation over a time range needs: each series' samples, replacements, unsynchronized times.</summary>
public static class SampleReader
{
    /// <summary>
    /// The tracks of <paramref name="item"/> for [from, to]: the samples inside, plus the last one before and the
    /// first one after (a boundary interpolates between them however far apart they are).
    /// </summary>
    public static ItemTracks Load(DbConnection db, DataItem item, DateTime fromUtc, DateTime toUtc, TimeSpan maxGap)
    {
        var replacements = Replacements(db, item.Series);
        var terms = item.Terms.ToDictionary(
            t => t.Series,
            t =>
            {
                var (samples, unsynced) = Samples(db, t.Series, fromUtc, toUtc);
                return item.Kind == ItemKind.Consumption
                    ? RegisterTrack.Continuous(samples, replacements, t, maxGap, unsynced)
                    : RegisterTrack.AsRead(samples, maxGap, unsynced);
            });
        var power = item.Terms.Where(t => t.PowerSeries is not null).Select(t => t.PowerSeries!.Value).Distinct()
            .ToDictionary(s => s, s => RegisterTrack.AsRead(Samples(db, s, fromUtc, toUtc).Samples, maxGap));
        return new ItemTracks(terms, power);
    }

    /// <summary>The latest sample time of the item's terms, or null before the first.</summary>
    public static DateTime? LatestSample(DbConnection db, DataItem item)
    {
        long? latest = null;
        foreach (var term in item.Terms)
        {
            var t = db.ScalarLong(
                "SELECT MAX(s.t) FROM samples s JOIN series x ON x.id = s.series WHERE x.gw = @g AND x.meter = @m AND x.point = @p",
                Key(term.Series));
            latest = t is { } value && (latest is null || value > latest) ? value : latest;
        }

        return latest is { } ms ? FromMs(ms) : null;
    }

    /// <summary>
    /// When the item entered service: the first Beijing midnight at or after the first sample of every term (before
    /// it the item has no days, so months and years count from it rather than being incomplete forever).
    /// </summary>
    public static DateTime? InService(DbConnection db, DataItem item)
    {
        long? first = null;
        foreach (var term in item.Terms)
        {
            var t = db.ScalarLong(
                "SELECT MIN(s.t) FROM samples s JOIN series x ON x.id = s.series WHERE x.gw = @g AND x.meter = @m AND x.point = @p",
                Key(term.Series));
            if (t is null)
            {
                return null;
            }

            first = first is null || t > first ? t : first;
        }

        if (first is not { } ms)
        {
            return null;
        }

        var sample = FromMs(ms);
        var day = BeijingCalendar.DayStart(sample);
        return day == sample ? day : day.AddDays(1);
    }

    /// <summary>The latest sample time of one series, or null.</summary>
    public static DateTime? LatestSample(DbConnection db, SeriesKey series) =>
        db.ScalarLong("SELECT MAX(s.t) FROM samples s JOIN series x ON x.id = s.series WHERE x.gw = @g AND x.meter = @m AND x.point = @p", Key(series)) is { } ms
            ? FromMs(ms)
            : null;

    public static long ToMs(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    private static (List<Sample> Samples, List<DateTime> Unsynced) Samples(DbConnection db, SeriesKey series, DateTime fromUtc, DateTime toUtc)
    {
        var id = db.ScalarLong("SELECT id FROM series WHERE gw = @g AND meter = @m AND point = @p", Key(series));
        if (id is null)
        {
            return ([], []);
        }

        var (from, to) = (ToMs(fromUtc), ToMs(toUtc));
        var samples = db.Query(
            """
            SELECT t, val, source, reading_id FROM (SELECT * FROM samples WHERE series = @s AND t < @from ORDER BY t DESC LIMIT 1) AS earlier
            UNION ALL SELECT t, val, source, reading_id FROM samples WHERE series = @s AND t >= @from AND t <= @to
            UNION ALL SELECT t, val, source, reading_id FROM (SELECT * FROM samples WHERE series = @s AND t > @to ORDER BY t LIMIT 1) AS later
            """,
            r => new Sample(FromMs(r.GetInt64(0)), Parse(r.GetString(1)), (SampleSource)r.GetInt32(2), r.GetInt64(3)),
            ("@s", id), ("@from", from), ("@to", to));
        var unsynced = db.Query(
            "SELECT t FROM unsynced_samples WHERE series = @s AND t >= @from AND t <= @to", r => FromMs(r.GetInt64(0)), ("@s", id), ("@from", from), ("@to", to));
        return (samples, unsynced);
    }

    private static List<MeterReplacement> Replacements(DbConnection db, IEnumerable<SeriesKey> series)
    {
        var all = new List<MeterReplacement>();
        foreach (var key in series)
        {
            all.AddRange(db.Query(
                "SELECT at_t, old_final, new_initial FROM meter_replacements WHERE gw = @g AND meter = @m AND point = @p ORDER BY at_t",
                r => new MeterReplacement(key, FromMs(r.GetInt64(0)), Parse(r.GetString(1)), Parse(r.GetString(2))),
                Key(key)));
        }

        return all;
    }

    private static (string, object?)[] Key(SeriesKey series) => [("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point)];

    private static FixedDecimal Parse(string text) =>
        FixedDecimal.TryParse(text, out var value) ? value : throw new InvalidDataException($"stored value '{text}' is not an exact decimal");
}
