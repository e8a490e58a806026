using System.Data.Common;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>
/// Copies the stored readings of points some item reads into the samples table (by series and time), in reading
/// order behind a cursor, and marks the items they change as dirty, all in one store write per batch; a crash
/// repeats a batch, and the copies are idempotent. Readings of points no item reads are counted per point in
/// unmapped_points and logged once per point; when an item later reads such a point, its stored readings are
/// taken in on the next start. Readings whose time or value cannot be trusted (clock not synchronized, meter
/// error, estimated by the gateway) are noted in unsynced_samples, never used for a boundary. Runs apart from
/// ingest so that ingest writes no extra index.
/// </summary>
public sealed class SeriesFeeder : IAsyncDisposable
{
    /// <summary>The cursor's name in relay_cursor.</summary>
    public const string CursorName = "indicators";

    private const int BatchSize = 2000;
    internal const string AllGateways = "*";

    private readonly PacketStore _store;
    private readonly ItemCatalogue _items;
    private readonly IndicatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly WakeableLoop _loop;
    private readonly HashSet<SeriesKey> _reportedUnmapped = [];
    private long _cursor;
    private bool _adopted;

    /// <summary>Readings of these flags are noted but never used: their time or value is not a measurement.</summary>
    private const ReadingFlags Unusable = ReadingFlags.TimeUnsynchronized | ReadingFlags.MeterError | ReadingFlags.Estimated;

    public SeriesFeeder(PacketStore store, ItemCatalogue items, IndicatorMetrics metrics, TimeProvider time, ILogger log)
    {
        _store = store;
        _items = items;
        _metrics = metrics;
        _time = time;
        _log = log;
        _loop = new WakeableLoop(PassAsync, time, log, store.Lease, LoadCursor);
    }

    /// <summary>Raised after a batch changed some item's samples.</summary>
    public event Action? ItemsChanged;

    public void Start()
    {
        LoadCursor();
        _loop.Start();
    }

    // At the start, and each time this receiver takes the work lease again: another receiver may have fed meanwhile.
    private void LoadCursor()
    {
        _cursor = _store.Read(db => db.ScalarLong(
            "SELECT last_id FROM relay_cursor WHERE tier = @tier AND gw = @gw", ("@tier", CursorName), ("@gw", AllGateways))) ?? 0;
        _adopted = false;
    }

    /// <summary>Readings were stored.</summary>
    public void Wake() => _loop.Wake();

    public async ValueTask DisposeAsync() => await _loop.DisposeAsync();

    /// <summary>One pass, for tests that drive the feeder step by step (returns after one batch).</summary>
    public Task RunOnceAsync(CancellationToken stop = default) => PassAsync(stop);

    private async Task<TimeSpan> PassAsync(CancellationToken stop)
    {
        if (!_adopted)
        {
            await AdoptNewlyMappedAsync();
            _adopted = true;
        }

        var readings = _store.Read(db => db.Query(
            "SELECT id, gw, meter, point, t, val, flags FROM readings WHERE id > @after ORDER BY id LIMIT @limit",
            r => new StoredReading(r.GetInt64(0), new SeriesKey(r.GetString(1), r.GetString(2), r.GetString(3)), r.GetString(4), r.GetString(5), (ReadingFlags)r.GetInt32(6)),
            ("@after", _cursor), ("@limit", BatchSize)));
        if (readings.Count == 0)
        {
            return TimeSpan.FromSeconds(5);
        }

        var changed = await _store.WriteAsync(db => Apply(db, readings));
        _cursor = readings[^1].Id;
        if (changed)
        {
            ItemsChanged?.Invoke();
        }

        return readings.Count == BatchSize ? TimeSpan.Zero : TimeSpan.FromSeconds(5);
    }

    private bool Apply(DbConnection db, List<StoredReading> readings, bool moveCursor = true)
    {
        var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
        var dirty = new Dictionary<string, long>(StringComparer.Ordinal);
        var unmapped = new Dictionary<SeriesKey, int>();
        foreach (var reading in readings)
        {
            if (!PacketText.TryParseTime(reading.Time, out var time))
            {
                continue;
            }

            var items = _items.ItemsReading(reading.Series);
            if (items.Count == 0)
            {
                unmapped[reading.Series] = unmapped.GetValueOrDefault(reading.Series) + 1;
                continue;
            }

            var series = SeriesId(db, reading.Series);
            var t = new DateTimeOffset(time).ToUnixTimeMilliseconds();
            if ((reading.Flags & Unusable) != 0)
            {
                db.Execute("INSERT INTO unsynced_samples(series, t, reading_id) VALUES (@s, @t, @id) ON CONFLICT DO NOTHING", ("@s", series), ("@t", t), ("@id", reading.Id));
                continue;
            }

            // A polled reading wins over a frozen one at the same instant; anything else keeps the first.
            var source = (reading.Flags & ReadingFlags.Frozen) != 0 ? SampleSource.Frozen : SampleSource.Polled;
            db.Execute(
                """
                INSERT INTO samples(series, t, val, source, reading_id) VALUES (@s, @t, @v, @src, @id)
                ON CONFLICT(series, t) DO UPDATE SET val = excluded.val, source = excluded.source, reading_id = excluded.reading_id
                WHERE samples.source = 1 AND excluded.source = 0
                """,
                ("@s", series), ("@t", t), ("@v", reading.Value), ("@src", (int)source), ("@id", reading.Id));
            _metrics.SampleFed();

            // The values that change start at the sample before this one: interpolation spans it.
            var from = db.ScalarLong("SELECT MAX(t) FROM samples WHERE series = @s AND t < @t", ("@s", series), ("@t", t)) ?? t;
            foreach (var item in items)
            {
                dirty[item.Key] = Math.Min(dirty.GetValueOrDefault(item.Key, long.MaxValue), from);
            }
        }

        foreach (var (series, count) in unmapped)
        {
            Unmapped(db, series, count, now);
        }

        foreach (var (code, from) in dirty)
        {
            db.Execute(
                """
                INSERT INTO indicator_dirty(item, from_t, version) VALUES (@c, @f, 1)
                ON CONFLICT(item) DO UPDATE SET from_t = CASE WHEN indicator_dirty.from_t < @f THEN indicator_dirty.from_t ELSE @f END, version = indicator_dirty.version + 1
                """,
                ("@c", code), ("@f", from));
        }

        if (moveCursor && readings.Count > 0)
        {
            db.Execute(
                "INSERT INTO relay_cursor(tier, gw, last_id) VALUES (@tier, @gw, @id) ON CONFLICT(tier, gw) DO UPDATE SET last_id = @id",
                ("@tier", CursorName), ("@gw", AllGateways), ("@id", readings[^1].Id));
        }

        return dirty.Count > 0;
    }

    /// <summary>
    /// Points that were unmapped when their readings were fed and that an item reads now (configured since): their
    /// stored readings up to the cursor are fed again, so the item starts from the point's first reading.
    /// </summary>
    private async Task AdoptNewlyMappedAsync()
    {
        var adopted = _store.Read(db => db.Query("SELECT gw, meter, point FROM unmapped_points", r => new SeriesKey(r.GetString(0), r.GetString(1), r.GetString(2))))
            .Where(series => _items.ItemsReading(series).Count > 0).ToList();
        foreach (var series in adopted)
        {
            var readings = _store.Read(db => db.Query(
                "SELECT id, gw, meter, point, t, val, flags FROM readings WHERE gw = @g AND meter = @m AND point = @p AND id <= @upTo ORDER BY id",
                r => new StoredReading(r.GetInt64(0), new SeriesKey(r.GetString(1), r.GetString(2), r.GetString(3)), r.GetString(4), r.GetString(5), (ReadingFlags)r.GetInt32(6)),
                ("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point), ("@upTo", _cursor)));
            await _store.WriteAsync(db =>
            {
                Apply(db, readings, moveCursor: false);
                db.Execute("DELETE FROM unmapped_points WHERE gw = @g AND meter = @m AND point = @p", ("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point));
            });
            _log.LogInformation("{Series} is read by a data item now: its {Count} stored readings were taken in", series, readings.Count);
        }

        if (adopted.Count > 0)
        {
            ItemsChanged?.Invoke();
        }
    }

    /// <summary>Marks an item for a full computation again from <paramref name="fromUtc"/> (a meter replacement was recorded).</summary>
    public static void MarkDirty(DbConnection db, DataItem item, DateTime fromUtc) =>
        db.Execute(
            """
            INSERT INTO indicator_dirty(item, from_t, version) VALUES (@c, @f, 1)
            ON CONFLICT(item) DO UPDATE SET from_t = CASE WHEN indicator_dirty.from_t < @f THEN indicator_dirty.from_t ELSE @f END, version = indicator_dirty.version + 1
            """,
            ("@c", item.Key), ("@f", new DateTimeOffset(fromUtc).ToUnixTimeMilliseconds()));

    public static long SeriesId(DbConnection db, SeriesKey key)
    {
        db.Execute("INSERT INTO series(gw, meter, point) VALUES (@g, @m, @p) ON CONFLICT DO NOTHING", ("@g", key.Gateway), ("@m", key.Meter), ("@p", key.Point));
        return db.ScalarLong("SELECT id FROM series WHERE gw = @g AND meter = @m AND point = @p", ("@g", key.Gateway), ("@m", key.Meter), ("@p", key.Point))!.Value;
    }

    /// <summary>Counts a batch's readings of one unmapped point in one write (every reading would be one per reading).</summary>
    private void Unmapped(DbConnection db, SeriesKey series, int readings, string now)
    {
        db.Execute(
            """
            INSERT INTO unmapped_points(gw, meter, point, readings, first_seen, last_seen) VALUES (@g, @m, @p, @n, @now, @now)
            ON CONFLICT(gw, meter, point) DO UPDATE SET readings = unmapped_points.readings + @n, last_seen = @now
            """,
            ("@g", series.Gateway), ("@m", series.Meter), ("@p", series.Point), ("@n", readings), ("@now", now));
        _metrics.UnmappedRead(readings);
        if (_reportedUnmapped.Add(series))
        {
            _log.LogWarning("readings of {Series} map to no data item: stored, relayed on MQTT, but in no indicator (GET /admin/unmapped)", series);
        }
    }

    private sealed record StoredReading(long Id, SeriesKey Series, string Time, string Value, ReadingFlags Flags);
}
