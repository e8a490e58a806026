using EdgeMeter.Core.Messages;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Relay.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static EdgeMeter.Receiver.Tests.Indicators.ItemFixtures;

namespace EdgeMeter.Receiver.Tests.Indicators;

/// <summary>
/// The feeder and the engine on a real store, driven pass by pass on a hand-moved clock: late data across a
/// boundary, finality by grace and by the wall clock, corrections with their revisions, a meter replacement,
/// points mapped after their readings were stored, readings that must not set a boundary.
/// </summary>
public sealed class IndicatorEngineTests : IAsyncDisposable
{
    private static readonly DataItem Item = Consumption();
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-engine-").FullName;
    private readonly ManualTime _time = new(new DateTimeOffset(Beijing(2026, 5, 20, 23, 0), TimeSpan.Zero));
    private readonly PacketStore _store;
    private long _n;

    public IndicatorEngineTests()
    {
        _store = EdgeMeter.Receiver.Tests.Receiver.Support.TestStores.Open(_directory, _time);
    }

    public async ValueTask DisposeAsync()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Late_data_across_a_boundary_corrects_an_uploaded_value_once_per_change_with_a_new_revision()
    {
        await Reading(7, 0, "100.00");
        await Reading(7, 30, "103.00");
        await RunAsync(Item); // long past the wall-clock limit: final at once

        Assert.Equal(["1.50:0", "1.50:0"], Uploads(StatType.RealTime)); // 07:15 interpolated: 101.50

        await Reading(7, 10, "101.20"); // 07:15 is now 101.20 + 1.80 x 5/20 = 101.65
        await RunAsync(Item);
        await Reading(7, 15, "101.40"); // and now read on the boundary
        await RunAsync(Item);

        Assert.Equal(["1.50:0", "1.50:0", "1.65:1", "1.35:1", "1.40:2", "1.60:2"], Uploads(StatType.RealTime));
        Assert.Equal(4, Scalar("SELECT COUNT(*) FROM indicator_corrections"));
        Assert.Equal(2, Scalar($"SELECT revision FROM indicators WHERE item = '{Item.Key}' AND stat_type = 0 AND start_t = {Ms(7, 0)}"));
    }

    [Fact]
    public async Task A_period_waits_for_the_grace_and_a_drained_gateway_unless_the_wall_clock_limit_passes()
    {
        _time.Now = new DateTimeOffset(Beijing(2026, 5, 20, 7, 31), TimeSpan.Zero);
        await Reading(7, 0, "100");
        await Reading(7, 15, "101");
        await Status(queued: 12, 7, 31);
        await RunAsync(Item);
        Assert.Empty(Uploads(StatType.RealTime)); // data reach only 07:15, and the gateway still has a backlog

        await Reading(7, 30, "102");
        await RunAsync(Item);
        Assert.Empty(Uploads(StatType.RealTime)); // data reach 07:15 + grace, but 12 readings are queued

        await Status(queued: 0, 7, 31);
        await RunAsync(Item);
        Assert.Equal(["1:0"], Uploads(StatType.RealTime)); // 07:00-07:15 final; 07:15-07:30 needs data to 07:45

        _time.Now = new DateTimeOffset(Beijing(2026, 5, 20, 13, 30), TimeSpan.Zero);
        await RunAsync(Item);
        Assert.Equal(["1:0", "1:0"], Uploads(StatType.RealTime)); // the wall-clock limit (360 min) for 07:30
    }

    [Fact]
    public async Task A_recorded_meter_replacement_continues_the_item_across_the_new_meter()
    {
        await Reading(7, 0, "5000");
        await Reading(7, 15, "5010");
        await Reading(7, 30, "12"); // the new meter, started at 10 after the old one ended at 5015
        await RunAsync(Item);
        Assert.Equal(["10:0", "0:0"], Uploads(StatType.RealTime)); // a reset counts no consumption, and is not valid
        Assert.Equal(0, Scalar($"SELECT valid FROM indicators WHERE item = '{Item.Key}' AND stat_type = 0 AND start_t = {Ms(7, 15)}"));

        var replacement = new MeterReplacement(Feeder, Beijing(2026, 5, 20, 7, 20), D("5015"), D("10"));
        await _store.WriteAsync(db => IndicatorQueries.RecordReplacement(db, new ItemCatalogue([Item]), replacement, "test", _time.GetUtcNow().UtcDateTime));
        await RunAsync(Item);

        Assert.Equal("7", Scalar<string>($"SELECT value FROM indicators WHERE item = '{Item.Key}' AND stat_type = 0 AND start_t = {Ms(7, 15)}"));
        Assert.Equal(1, Scalar($"SELECT valid FROM indicators WHERE item = '{Item.Key}' AND stat_type = 0 AND start_t = {Ms(7, 15)}"));
    }

    [Fact]
    public async Task Readings_of_a_point_no_item_read_are_taken_in_once_an_item_reads_it()
    {
        await Reading(7, 0, "100");
        await Reading(7, 15, "101");
        await RunAsync();
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM unmapped_points"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM samples"));

        await Reading(7, 30, "102");
        await RunAsync(Item); // the receiver restarted with an item reading the point

        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM unmapped_points"));
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM samples"));
        Assert.Equal(["1:0", "1:0"], Uploads(StatType.RealTime));
    }

    [Theory]
    [InlineData(ReadingFlags.TimeUnsynchronized)]
    [InlineData(ReadingFlags.MeterError)]
    [InlineData(ReadingFlags.Estimated)]
    public async Task A_reading_whose_time_or_value_is_not_a_measurement_never_sets_a_boundary(ReadingFlags flags)
    {
        await Reading(7, 0, "100");
        await Reading(7, 15, "150", flags);
        await Reading(7, 30, "102");
        await RunAsync(Item);

        Assert.Equal(["1:0", "1:0"], Uploads(StatType.RealTime)); // 07:15 interpolated: 101
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM unsynced_samples"));
    }

    /// <summary>A fresh feeder and engine over the store (as after a start), each run until it has nothing left to do.</summary>
    private async Task RunAsync(params DataItem[] items)
    {
        var catalogue = new ItemCatalogue(items);
        var metrics = new IndicatorMetrics();
        await using var feeder = new SeriesFeeder(_store, catalogue, metrics, _time, NullLogger.Instance);
        await using var engine = new IndicatorEngine(_store, catalogue, new IndicatorOptions(), metrics, _time, NullLogger.Instance);
        feeder.Start();
        await feeder.RunOnceAsync();
        await engine.RunOnceAsync();
        await engine.RunOnceAsync();
    }

    private Task Reading(int hour, int minute, string value, ReadingFlags flags = ReadingFlags.None) =>
        _store.WriteAsync(db => db.Execute(
            "INSERT INTO readings(gw, n, packet_id, meter, point, t, val, unit, flags) VALUES (@g, @n, 0, @m, @p, @t, @v, 'kWh', @f)",
            ("@g", Feeder.Gateway), ("@n", ++_n), ("@m", Feeder.Meter), ("@p", Feeder.Point),
            ("@t", Beijing(2026, 5, 20, hour, minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("@v", value), ("@f", (int)flags)));

    private Task Status(int queued, int hour, int minute) =>
        _store.WriteAsync(db => db.Execute(
            "INSERT INTO packets(gw, seq, kind, packet, received_at) VALUES (@g, @s, 'status', @p, '2026-05-20T00:00:00Z')",
            ("@g", Feeder.Gateway), ("@s", ++_n + 100_000),
            ("@p", $$"""{"queued":{{queued}},"ts":"{{Beijing(2026, 5, 20, hour, minute):yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""")));

    /// <summary>The queued uploads of one statType as "value:revision", in queue order.</summary>
    private List<string> Uploads(StatType type) => _store.Read(db => db.Query(
        "SELECT value, revision FROM indicator_uploads WHERE stat_type = @s ORDER BY id",
        r => $"{r.GetString(0)}:{r.GetInt32(1)}", ("@s", (int)type)));

    private long Scalar(string sql) => _store.Read(db => db.ScalarLong(sql)) ?? -1;

    private T Scalar<T>(string sql) => _store.Read(db => (T)db.Scalar(sql)!);

    private static long Ms(int hour, int minute) => SampleReader.ToMs(Beijing(2026, 5, 20, hour, minute));
}
