using EdgeMeter.Core.Messages;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>Raw retention: what is old and done with goes, what anything still needs stays, and a deleted packet cannot come back.</summary>
public abstract class RawRetentionTests(StoreKind kind) : IDisposable
{
    private const string UpTopic = "edgemeter/v1/gw-0001/up";
    private const string StatusTopic = "edgemeter/v1/gw-0001/status";
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);
    private readonly TempStore _store = new(kind: kind);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Packets_received_before_the_period_and_delivered_everywhere_are_deleted_with_their_readings()
    {
        await StoreUpAsync(1, 1);
        await StoreUpAsync(2, 2);
        _store.Time.Now += TimeSpan.FromDays(200);
        await StoreUpAsync(3, 3);
        await CursorsAsync(mqtt: long.MaxValue, indicators: long.MaxValue);

        var result = await Retention([]).PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new PruneResult(2, 2, 0), result);
        Assert.Equal(["3"], _store.Strings("SELECT seq FROM packets"));
        Assert.Equal(["3"], _store.Strings("SELECT n FROM readings"));
        Assert.Equal(["2"], _store.Strings("SELECT pruned_seq FROM gateways"));
    }

    [Fact]
    public async Task Nothing_inside_the_period_goes_and_183_days_is_the_default()
    {
        await StoreUpAsync(1, 1);
        _store.Time.Now += TimeSpan.FromDays(182);
        await CursorsAsync(mqtt: long.MaxValue, indicators: long.MaxValue);

        var result = await Retention([]).PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(183, new RetentionOptions().RawDays);
        Assert.Equal(new PruneResult(0, 0, 0), result);
        Assert.Equal(1, _store.Count("SELECT COUNT(*) FROM readings"));
    }

    [Fact]
    public async Task What_a_tier_has_not_delivered_a_dead_letter_holds_or_the_indicators_have_not_read_stays()
    {
        for (var seq = 1; seq <= 4; seq++)
        {
            await StoreUpAsync(seq, seq);
        }

        _store.Time.Now += TimeSpan.FromDays(200);
        var ids = _store.Strings("SELECT id FROM packets ORDER BY id").Select(long.Parse).ToList();
        var readings = _store.Strings("SELECT id FROM readings ORDER BY id").Select(long.Parse).ToList();
        await CursorsAsync(mqtt: ids[2], indicators: readings[2]); // the tier sent 1-3, the indicators read 1-3
        await _store.Store.WriteAsync(db => db.Execute(
            "INSERT INTO dead_letters(tier, gw, row_id, code, reason, created_at, state) VALUES ('mqtt-tier', 'gw-0001', @id, 1, 'refused', '2026-01-01T00:00:00.000Z', 'dead')", ("@id", ids[1])));

        var result = await Retention([new PacketTier("mqtt-tier", ["gw-0001"])]).PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new PruneResult(2, 2, 2), result);
        Assert.Equal(["2", "4"], _store.Strings("SELECT seq FROM packets ORDER BY seq")); // 2: a dead letter; 4: neither sent nor read
    }

    [Fact]
    public async Task A_gateways_latest_status_stays_however_old()
    {
        Assert.Equal(IngestDisposition.Stored, (await _store.IngestAsync(StatusTopic, _gateway.SignStatus(1, GatewayState.Online, 2))).Disposition);
        Assert.Equal(IngestDisposition.Stored, (await _store.IngestAsync(StatusTopic, _gateway.SignStatus(2, GatewayState.Online, 3))).Disposition);
        _store.Time.Now += TimeSpan.FromDays(400);
        await CursorsAsync(mqtt: long.MaxValue, indicators: long.MaxValue);

        await Retention([]).PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["2"], _store.Strings("SELECT seq FROM packets"));
    }

    [Fact]
    public async Task A_deleted_packet_sent_again_is_quarantined_as_a_replay_not_stored_again()
    {
        var old = _gateway.SignReadings(1, TestGateway.Reading(1, "1.5"));
        Assert.Equal(IngestDisposition.Stored, (await _store.IngestAsync(UpTopic, old)).Disposition);
        _store.Time.Now += TimeSpan.FromDays(200);
        await CursorsAsync(mqtt: long.MaxValue, indicators: long.MaxValue);
        await Retention([]).PruneAsync(TestContext.Current.CancellationToken);

        var replayed = await _store.IngestAsync(UpTopic, old);

        Assert.Equal((IngestDisposition.Quarantined, StoreOutcome.ReplayWindow), (replayed.Disposition, replayed.Error));
        Assert.Equal(0, _store.Count("SELECT COUNT(*) FROM readings"));
        Assert.Contains("older than the history kept", Assert.Single(_store.Strings("SELECT reason FROM quarantine")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pruning_many_batches_while_new_packets_arrive_deletes_only_the_old_and_loses_no_new_reading()
    {
        for (var seq = 1; seq <= 500; seq++)
        {
            await StoreUpAsync(seq, seq);
        }

        _store.Time.Now += TimeSpan.FromDays(200);
        await CursorsAsync(mqtt: long.MaxValue, indicators: long.MaxValue);
        var retention = new RawRetention(_store.Store, new RetentionOptions { BatchPackets = 7 }, [], _store.Time, NullLogger.Instance);

        var pruning = retention.PruneAsync(TestContext.Current.CancellationToken);
        for (var seq = 501; seq <= 700; seq++)
        {
            await StoreUpAsync(seq, seq);
        }

        Assert.Equal(500, (await pruning).Packets);
        Assert.Equal(Enumerable.Range(501, 200).Select(n => $"{n}"), _store.Strings("SELECT n FROM readings ORDER BY n"));
    }

    private RawRetention Retention(IReadOnlyList<PacketTier> tiers) =>
        new(_store.Store, new RetentionOptions(), tiers, _store.Time, NullLogger.Instance);

    private async Task StoreUpAsync(long seq, long n) =>
        Assert.Equal(IngestDisposition.Stored, (await _store.IngestAsync(UpTopic, _gateway.SignReadings(seq, TestGateway.Reading(n, "1.5")))).Disposition);

    private Task CursorsAsync(long mqtt, long indicators) => _store.Store.WriteAsync(db =>
    {
        db.Execute("INSERT INTO relay_cursor(tier, gw, last_id) VALUES ('mqtt-tier', 'gw-0001', @id) ON CONFLICT(tier, gw) DO UPDATE SET last_id = excluded.last_id", ("@id", mqtt));
        db.Execute("INSERT INTO relay_cursor(tier, gw, last_id) VALUES (@tier, @all, @id) ON CONFLICT(tier, gw) DO UPDATE SET last_id = excluded.last_id", ("@tier", SeriesFeeder.CursorName), ("@all", SeriesFeeder.AllGateways), ("@id", indicators));
    });
}

public sealed class RawRetentionOnSqliteTests() : RawRetentionTests(StoreKind.Sqlite);

public sealed class RawRetentionOnPostgresTests() : RawRetentionTests(StoreKind.Postgres);
