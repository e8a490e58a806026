using System.Buffers.Text;
using System.Data.Common;
using System.Text.Json;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>
/// Keeps every item's values current and decides when they are final (docs/indicators.md). A pass computes the
/// items the feeder marked dirty again from the marked time on, day by day, and stores what changed; then it
/// finalises the periods whose data is complete (every term read past the period's end plus the grace, and its
/// gateway reporting no backlog) or whose wall-clock limit passed, and queues them for upload. A final value that
/// late data changes is recorded as a correction and queued again under the next revision.
/// </summary>
public sealed class IndicatorEngine : IAsyncDisposable
{
    private static readonly TimeSpan IdlePass = TimeSpan.FromMinutes(1);

    private readonly PacketStore _store;
    private readonly ItemCatalogue _items;
    private readonly IndicatorOptions _options;
    private readonly IndicatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly WakeableLoop _loop;

    public IndicatorEngine(PacketStore store, ItemCatalogue items, IndicatorOptions options, IndicatorMetrics metrics, TimeProvider time, ILogger log)
    {
        _store = store;
        _items = items;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        _loop = new WakeableLoop(PassAsync, time, log, store.Lease);
    }

    /// <summary>Raised after values were queued for upload.</summary>
    public event Action? UploadsQueued;

    private TimeSpan MaxGap => TimeSpan.FromMinutes(_options.MaxInterpolationMinutes);

    public void Start() => _loop.Start();

    public void Wake() => _loop.Wake();

    public async ValueTask DisposeAsync() => await _loop.DisposeAsync();

    /// <summary>One pass, for tests that drive the engine step by step.</summary>
    public Task RunOnceAsync(CancellationToken stop = default) => PassAsync(stop);

    private async Task<TimeSpan> PassAsync(CancellationToken stop)
    {
        var dirty = _store.Read(db => db.Query(
            "SELECT item, from_t, version FROM indicator_dirty ORDER BY item",
            r => (Code: r.GetString(0), From: SampleReader.FromMs(r.GetInt64(1)), Version: r.GetInt64(2))));
        foreach (var (code, from, version) in dirty)
        {
            stop.ThrowIfCancellationRequested();
            await RecomputeAsync(code, from, version);
        }

        var queued = await FinaliseAsync();
        if (queued > 0)
        {
            UploadsQueued?.Invoke();
        }

        return dirty.Count > 0 ? TimeSpan.Zero : IdlePass;
    }

    private async Task RecomputeAsync(string code, DateTime from, long version)
    {
        var item = _items.Find(code);
        var values = item is null ? [] : _store.Read(db => Compute(db, item, from));
        var corrections = await _store.WriteAsync(db =>
        {
            var corrected = item is null ? 0 : values.Sum(value => Store(db, item, value));
            db.Execute("DELETE FROM indicator_dirty WHERE item = @c AND version = @v", ("@c", code), ("@v", version));
            return corrected;
        });
        _metrics.Computed();
        if (corrections > 0)
        {
            UploadsQueued?.Invoke();
        }
    }

    /// <summary>Every period of <paramref name="item"/> that data from <paramref name="from"/> on can change.</summary>
    private List<PeriodValue> Compute(DbConnection db, DataItem item, DateTime from)
    {
        if (SampleReader.LatestSample(db, item) is not { } latest || SampleReader.InService(db, item) is not { } inService)
        {
            return [];
        }

        var firstDay = BeijingCalendar.DayStart(from);
        var lastDay = BeijingCalendar.DayStart(latest);
        var tracks = SampleReader.Load(db, item, firstDay, lastDay.AddDays(1), MaxGap);
        var values = new List<PeriodValue>();
        var days = new Dictionary<DateTime, PeriodValue>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var (intervals, whole) = ItemCalculator.Day(item, tracks, day);
            values.AddRange(intervals.Where(i => i.Value is not null));
            values.Add(whole);
            days[day] = whole;
        }

        var months = new Dictionary<DateTime, PeriodValue>();
        for (var month = BeijingCalendar.MonthStart(firstDay); month <= lastDay; month = BeijingCalendar.EndOf(StatType.Month, month, item.IntervalMinutes))
        {
            var period = BeijingCalendar.PeriodOf(StatType.Month, month, item.IntervalMinutes);
            var parts = BeijingCalendar.Parts(period, item.IntervalMinutes).Where(p => p.StartUtc >= inService)
                .Select(p => days.GetValueOrDefault(p.StartUtc) ?? Stored(db, item, p)).ToList();
            months[month] = ItemCalculator.Aggregate(item, period, parts);
            values.Add(months[month]);
        }

        if (item.Yearly)
        {
            for (var year = BeijingCalendar.YearStart(firstDay); year <= lastDay; year = BeijingCalendar.EndOf(StatType.Year, year, item.IntervalMinutes))
            {
                var period = BeijingCalendar.PeriodOf(StatType.Year, year, item.IntervalMinutes);
                var parts = BeijingCalendar.Parts(period, item.IntervalMinutes).Where(p => p.EndUtc > inService)
                    .Select(p => months.GetValueOrDefault(p.StartUtc) ?? Stored(db, item, p)).ToList();
                values.Add(ItemCalculator.Aggregate(item, period, parts));
            }
        }

        return values.Where(v => v.Value is not null).ToList();
    }

    private static PeriodValue Stored(DbConnection db, DataItem item, IndicatorPeriod period) =>
        db.Query(
            "SELECT value, flags FROM indicators WHERE item = @c AND stat_type = @s AND start_t = @t",
            r => new PeriodValue(period, r.IsDBNull(0) ? null : Parse(r.GetString(0)), (IndicatorFlags)r.GetInt32(1), []),
            ("@c", item.Key), ("@s", (int)period.Type), ("@t", SampleReader.ToMs(period.StartUtc))).FirstOrDefault()
        ?? PeriodValue.Missing(period);

    /// <summary>Stores one value; a final one that changed becomes a correction queued for upload (returns 1 then).</summary>
    private int Store(DbConnection db, DataItem item, PeriodValue value)
    {
        var key = (("@c", (object?)item.Key), ("@s", (object?)(int)value.Period.Type), ("@t", (object?)SampleReader.ToMs(value.Period.StartUtc)));
        var existing = db.Query(
            "SELECT final, revision, uploaded_value, uploaded_valid FROM indicators WHERE item = @c AND stat_type = @s AND start_t = @t",
            r => (Final: r.GetInt32(0) == 1, Revision: r.GetInt32(1), Value: r.IsDBNull(2) ? null : r.GetString(2), Valid: r.IsDBNull(3) ? 0 : r.GetInt32(3)),
            key.Item1, key.Item2, key.Item3).FirstOrDefault();
        var text = value.Value!.Value.ToString();
        var valid = value.Valid ? 1 : 0;
        var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
        db.Execute(
            """
            INSERT INTO indicators(item, stat_type, start_t, end_t, value, valid, flags, updated_at) VALUES (@c, @s, @t, @e, @v, @valid, @f, @now)
            ON CONFLICT(item, stat_type, start_t) DO UPDATE SET value = @v, valid = @valid, flags = @f, updated_at = @now
            WHERE indicators.value IS DISTINCT FROM @v OR indicators.valid <> @valid OR indicators.flags <> @f
            """,
            key.Item1, key.Item2, key.Item3, ("@e", SampleReader.ToMs(value.Period.EndUtc)), ("@v", text), ("@valid", valid), ("@f", (int)value.Flags), ("@now", now));
        if (!existing.Final || (existing.Value == text && existing.Valid == valid))
        {
            return 0;
        }

        var revision = existing.Revision + 1;
        db.Execute(
            """
            INSERT INTO indicator_corrections(item, stat_type, start_t, old_value, old_valid, new_value, new_valid, revision, created_at)
            VALUES (@c, @s, @t, @old, @oldValid, @v, @valid, @r, @now)
            """,
            key.Item1, key.Item2, key.Item3, ("@old", existing.Value), ("@oldValid", existing.Valid), ("@v", text), ("@valid", valid), ("@r", revision), ("@now", now));
        db.Execute(
            "UPDATE indicators SET revision = @r, uploaded_value = @v, uploaded_valid = @valid WHERE item = @c AND stat_type = @s AND start_t = @t",
            key.Item1, key.Item2, key.Item3, ("@r", revision), ("@v", text), ("@valid", valid));
        Queue(db, item, value.Period, text, valid, value.Flags | IndicatorFlags.Corrected, revision, now);
        _metrics.Correction();
        _log.LogWarning("{Item} {Period}: {Old} became {New} after it was uploaded; sending revision {Revision}", item.Key, value.Period, existing.Value, text, revision);
        return 1;
    }

    private async Task<int> FinaliseAsync()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var open = _store.Read(db => db.Query(
            "SELECT item, stat_type, start_t, end_t, value, valid, flags FROM indicators WHERE final = 0 AND end_t <= @now ORDER BY end_t, stat_type, item",
            r => (Code: r.GetString(0), Type: (StatType)r.GetInt32(1), Start: SampleReader.FromMs(r.GetInt64(2)), End: SampleReader.FromMs(r.GetInt64(3)),
                Value: r.GetString(4), Valid: r.GetInt32(5), Flags: (IndicatorFlags)r.GetInt32(6)),
            ("@now", SampleReader.ToMs(now))));
        var ready = new List<(DataItem Item, IndicatorPeriod Period, string Value, int Valid, IndicatorFlags Flags)>();
        var decided = new Dictionary<(string, DateTime), bool>();
        _store.Read(db =>
        {
            foreach (var row in open)
            {
                if (_items.Find(row.Code) is not { } item)
                {
                    continue;
                }

                if (!decided.TryGetValue((row.Code, row.End), out var final))
                {
                    decided[(row.Code, row.End)] = final = IsFinal(db, item, row.End, now);
                }

                if (final)
                {
                    ready.Add((item, new IndicatorPeriod(row.Type, row.Start, row.End), row.Value, row.Valid, row.Flags));
                }
            }

            return 0;
        });

        if (ready.Count == 0)
        {
            return 0;
        }

        await _store.WriteAsync(db =>
        {
            var stamp = Sql.Time(now);
            foreach (var (item, period, value, valid, flags) in ready)
            {
                db.Execute(
                    "UPDATE indicators SET final = 1, revision = 0, uploaded_value = value, uploaded_valid = valid WHERE item = @c AND stat_type = @s AND start_t = @t",
                    ("@c", item.Key), ("@s", (int)period.Type), ("@t", SampleReader.ToMs(period.StartUtc)));
                Queue(db, item, period, value, valid, flags, 0, stamp);
                _metrics.Final(period.Type);
            }
        });
        return ready.Count;
    }

    /// <summary>
    /// Final at <paramref name="end"/>: the wall-clock limit has passed, or every term's data reaches the grace past
    /// it and its gateway's latest status (sent after that point) reports nothing queued.
    /// </summary>
    private bool IsFinal(DbConnection db, DataItem item, DateTime end, DateTime now)
    {
        if (now >= end.AddMinutes(_options.FinalAfterMinutes))
        {
            return true;
        }

        var reach = end.AddMinutes(_options.GraceMinutes);
        return item.Terms.All(term =>
            SampleReader.LatestSample(db, term.Series) is { } latest && latest >= reach && GatewayDrained(db, term.Series.Gateway, reach));
    }

    /// <summary>The gateway's latest status was sent at or after <paramref name="since"/> with nothing queued (or it never sent one).</summary>
    private static bool GatewayDrained(DbConnection db, string gateway, DateTime since)
    {
        var packet = db.Scalar("SELECT packet FROM packets WHERE gw = @g AND kind = 'status' ORDER BY id DESC LIMIT 1", ("@g", gateway)) as string;
        if (packet is null)
        {
            return true;
        }

        using var json = JsonDocument.Parse(StatusPayload(packet));
        var payload = json.RootElement;
        var queued = payload.TryGetProperty("queued", out var q) && q.TryGetInt64(out var count) ? count : 0;
        var sent = payload.TryGetProperty("ts", out var ts) && EdgeMeter.Core.Packet.PacketText.TryParseTime(ts.GetString() ?? "", out var at) ? at : DateTime.MinValue;
        return queued == 0 && sent >= since;
    }

    /// <summary>The JSON of a stored status packet: the payload of its JWS (compact form), already verified when stored.</summary>
    private static byte[] StatusPayload(string packet)
    {
        var parts = packet.Split('.');
        return parts.Length == 3 ? Base64Url.DecodeFromChars(parts[1]) : System.Text.Encoding.UTF8.GetBytes(packet);
    }

    private static void Queue(DbConnection db, DataItem item, IndicatorPeriod period, string value, int valid, IndicatorFlags flags, int revision, string now) =>
        db.Execute(
            """
            INSERT INTO indicator_uploads(enterprise, data_code, stat_type, start_t, value, valid, flags, revision, convert_ration, scope, input_type, created_at)
            VALUES (@e, @c, @s, @t, @v, @valid, @f, @r, @ration, @scope, @input, @now)
            """,
            ("@e", item.Enterprise), ("@c", item.DataCode), ("@s", (int)period.Type), ("@t", SampleReader.ToMs(period.StartUtc)), ("@v", value),
            ("@valid", valid), ("@f", (int)flags), ("@r", revision), ("@ration", item.ConvertRation.ToString()), ("@scope", (int)item.Scope),
            ("@input", (int)item.InputType), ("@now", now));

    private static FixedDecimal Parse(string text) =>
        FixedDecimal.TryParse(text, out var value) ? value : throw new InvalidDataException($"stored value '{text}' is not an exact decimal");
}
