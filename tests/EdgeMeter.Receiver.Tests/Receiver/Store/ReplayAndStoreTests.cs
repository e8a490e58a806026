using EdgeMeter.Core.Messages;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>The store's guarantees to the ingest (replay, duplicates, group commit, durability), on both databases.</summary>
public abstract class ReplayAndStoreTests(StoreKind kind)
{
    private const string UpTopic = "edgemeter/v1/gw-0001/up";
    private const string StatusTopic = "edgemeter/v1/gw-0001/status";
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);

    [Fact]
    public async Task Quarantine_keeps_a_sample_per_gateway_reason_and_day_and_counts_every_message()
    {
        using var store = new TempStore(kind: kind);
        var day = new DateTime(2026, 12, 5, 10, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 250; i++)
        {
            await store.Store.QuarantineAsync(new QuarantineEntry(day, "gw-0001", UpTopic, "gw-0001", i, "BadSignature", "signature does not verify", 10, new byte[10]));
        }

        await store.Store.QuarantineAsync(new QuarantineEntry(day, "gw-0001", UpTopic, "gw-0001", 1, "Oversized", "too big", 10, new byte[10]));
        await store.Store.QuarantineAsync(new QuarantineEntry(day.AddDays(1), "gw-0001", UpTopic, "gw-0001", 1, "BadSignature", "signature does not verify", 10, new byte[10]));

        Assert.Equal(QuarantineEntry.SamplePerDay + 2, store.Count("SELECT COUNT(*) FROM quarantine"));
        Assert.Equal(["gw-0001 BadSignature 2026-12-05 250 100", "gw-0001 BadSignature 2026-12-06 1 1", "gw-0001 Oversized 2026-12-05 1 1"],
            store.Strings("SELECT gw || ' ' || error || ' ' || day || ' ' || total || ' ' || kept FROM quarantine_counts ORDER BY error, day"));
    }

    [Fact]
    public async Task An_exact_duplicate_is_acknowledged_and_dropped()
    {
        using var store = new TempStore(kind: kind);
        var packet = _gateway.SignReadings(10, TestGateway.Reading(100, "1.5"));

        Assert.Equal(IngestDisposition.Stored, (await store.IngestAsync(UpTopic, packet)).Disposition);
        Assert.Equal(IngestDisposition.Duplicate, (await store.IngestAsync(UpTopic, packet)).Disposition);

        Assert.Equal(1, store.Count("SELECT COUNT(*) FROM packets"));
        Assert.Equal(1, store.Count("SELECT COUNT(*) FROM readings"));
        Assert.Equal(0, store.Count("SELECT COUNT(*) FROM quarantine"));
        Assert.Equal(1, store.Metrics.Snapshot().PacketsDuplicate);
    }

    [Fact]
    public async Task The_same_seq_with_other_content_is_quarantined_as_an_alert()
    {
        using var store = new TempStore(kind: kind);
        await store.IngestAsync(UpTopic, _gateway.SignReadings(10, TestGateway.Reading(100, "1.5")));

        var forged = await store.IngestAsync(UpTopic, _gateway.SignReadings(10, TestGateway.Reading(100, "999.5")));

        Assert.Equal(IngestDisposition.Quarantined, forged.Disposition);
        Assert.Equal(StoreOutcome.ReplayConflict, forged.Error);
        Assert.Equal(["1.5"], store.Strings("SELECT val FROM readings"));
        Assert.Equal([StoreOutcome.ReplayConflict], store.Strings("SELECT error FROM quarantine"));
        Assert.Equal(1, store.Metrics.Snapshot().ReplayAlerts);
    }

    [Fact]
    public async Task A_reading_number_resent_with_another_value_is_quarantined_as_an_alert_and_the_stored_one_kept()
    {
        using var store = new TempStore(kind: kind);
        await store.IngestAsync(UpTopic, _gateway.SignReadings(10, TestGateway.Reading(100, "1.5"), TestGateway.Reading(101, "1.6")));

        var altered = await store.IngestAsync(UpTopic, _gateway.SignReadings(11, TestGateway.Reading(100, "1.5"), TestGateway.Reading(101, "9.9"), TestGateway.Reading(102, "1.7")));

        Assert.Equal((IngestDisposition.Stored, 1, 1), (altered.Disposition, altered.FreshReadings, altered.DuplicateReadings)); // 102 new, 100 an honest re-send
        Assert.Equal(["1.5", "1.6", "1.7"], store.Strings("SELECT val FROM readings ORDER BY n"));
        var reason = Assert.Single(store.Strings("SELECT reason FROM quarantine WHERE error = 'ReadingConflict'"));
        Assert.Contains("reading n 101 of gw-0001 was stored as 000012345678/00010000 1.6 kWh", reason, StringComparison.Ordinal);
        Assert.Contains("seq 11 says 000012345678/00010000 9.9 kWh", reason, StringComparison.Ordinal);
        Assert.Equal((1, 1L), (store.Metrics.Snapshot().ReplayAlerts, store.Metrics.Snapshot().ReadingsDuplicate));
    }

    [Fact]
    public async Task Readings_resent_in_a_new_packet_after_a_reboot_are_counted_not_stored_again()
    {
        using var store = new TempStore(kind: kind);
        await store.IngestAsync(UpTopic, _gateway.SignReadings(10, TestGateway.Reading(100, "1.5"), TestGateway.Reading(101, "1.6")));

        // After a reboot: new packet number, the same two readings (same n) plus a new one.
        var resent = await store.IngestAsync(UpTopic, _gateway.SignReadings(1010, TestGateway.Reading(100, "1.5"), TestGateway.Reading(101, "1.6"), TestGateway.Reading(102, "1.7")));
        var allOld = await store.IngestAsync(UpTopic, _gateway.SignReadings(1011, TestGateway.Reading(101, "1.6")));

        Assert.Equal((IngestDisposition.Stored, 1, 2), (resent.Disposition, resent.FreshReadings, resent.DuplicateReadings));
        Assert.Equal((IngestDisposition.Stored, 0, 1), (allOld.Disposition, allOld.FreshReadings, allOld.DuplicateReadings));
        Assert.Equal(["100", "101", "102"], store.Strings("SELECT n FROM readings ORDER BY id"));
        Assert.Equal(["2", "1", "0"], store.Strings("SELECT fresh_readings FROM packets ORDER BY id"));
        Assert.Equal((3, 3), (store.Metrics.Snapshot().ReadingsStored, store.Metrics.Snapshot().ReadingsDuplicate));
    }

    [Fact]
    public async Task An_unseen_seq_below_the_high_water_mark_is_accepted()
    {
        using var store = new TempStore(kind: kind);
        await store.IngestAsync(UpTopic, _gateway.SignReadings(500, TestGateway.Reading(1, "1")));

        var older = await store.IngestAsync(UpTopic, _gateway.SignReadings(450, TestGateway.Reading(2, "2")));

        Assert.Equal(IngestDisposition.Stored, older.Disposition);
        Assert.Equal(500, store.Count("SELECT high_water FROM gateways WHERE gw = 'gw-0001'"));
    }

    [Fact]
    public async Task A_seq_far_below_the_window_is_quarantined_except_the_announced_last_will()
    {
        using var store = new TempStore(replayWindow: 100, kind: kind);
        await store.IngestAsync(StatusTopic, _gateway.SignStatus(1000, GatewayState.Online, will: 700));

        var stale = await store.IngestAsync(UpTopic, _gateway.SignReadings(800, TestGateway.Reading(1, "1")));
        var will = await store.IngestAsync(StatusTopic, _gateway.SignStatus(700, GatewayState.Offline, will: 700));
        var fakeWill = await store.IngestAsync(StatusTopic, _gateway.SignStatus(701, GatewayState.Offline, will: 701));

        Assert.Equal((IngestDisposition.Quarantined, StoreOutcome.ReplayWindow), (stale.Disposition, stale.Error));
        Assert.Equal(IngestDisposition.Stored, will.Disposition);
        Assert.Equal((IngestDisposition.Quarantined, StoreOutcome.ReplayWindow), (fakeWill.Disposition, fakeWill.Error));
        Assert.Equal(["offline"], store.Strings("SELECT state FROM gateways"));
    }

    [Fact]
    public async Task Writes_queued_together_commit_together_and_a_failing_one_rolls_back_alone()
    {
        using var store = new TempStore(kind: kind);
        using var gate = new ManualResetEventSlim();
        var blocker = store.Store.WriteAsync(_ =>
        {
            gate.Wait(TestContext.Current.CancellationToken);
            return true;
        });
        var commitsBefore = store.Store.Commits;

        // While the writer is held, queue 50 packets and one write that fails halfway.
        var packets = Enumerable.Range(1, 50).Select(i => store.IngestAsync(UpTopic, _gateway.SignReadings(i, TestGateway.Reading(i, "1")))).ToList();
        var failing = store.Store.WriteAsync<bool>(db =>
        {
            db.Execute("INSERT INTO command_seq(gw, last_seq) VALUES ('gw-x', 1)");
            throw new InvalidOperationException("boom");
        });
        gate.Set();
        await blocker;
        var results = await Task.WhenAll(packets);

        Assert.All(results, result => Assert.Equal(IngestDisposition.Stored, result.Disposition));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(0, store.Count("SELECT COUNT(*) FROM command_seq"));
        Assert.Equal(50, store.Count("SELECT COUNT(*) FROM readings"));
        Assert.Equal(50, store.Count("SELECT high_water FROM gateways WHERE gw = 'gw-0001'"));

        // 51 writes and the blocker, with a batch limit of 64: one commit for the blocker's batch, one for the rest.
        Assert.True(store.Store.Commits - commitsBefore <= 2, $"{store.Store.Commits - commitsBefore} commits");
    }

    [Fact]
    public async Task What_was_acknowledged_is_there_after_reopening()
    {
        using var store = new TempStore(kind: kind);
        await store.IngestAsync(UpTopic, _gateway.SignReadings(42, TestGateway.Reading(7, "12.340")));
        store.Store.Dispose();

        // SQLite: a copy of the file, so nothing the closed store left in memory can help; PostgreSQL: a new connection.
        using var reopened = store.ConnectionString is { } postgres
            ? EdgeMeter.Receiver.Store.PacketStore.OpenPostgres(postgres)
            : EdgeMeter.Receiver.Store.PacketStore.Open(CopyOf(Path.Combine(store.Directory, "receiver.db")));
        Assert.Equal(["12.340"], reopened.Read(db => db.Query("SELECT val FROM readings", r => r.GetString(0))));
        Assert.Equal([42L], reopened.Read(db => db.Query("SELECT high_water FROM gateways", r => r.GetInt64(0))));
    }

    private static string CopyOf(string file)
    {
        File.Copy(file, file + ".copy");
        return file + ".copy";
    }
}

public sealed class ReplayAndStoreOnSqliteTests() : ReplayAndStoreTests(StoreKind.Sqlite);

public sealed class ReplayAndStoreOnPostgresTests() : ReplayAndStoreTests(StoreKind.Postgres);
