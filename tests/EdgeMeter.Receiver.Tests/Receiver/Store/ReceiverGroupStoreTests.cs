using System.Collections.Concurrent;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using EdgeMeter.TestSupport;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>
/// Two receivers' stores on one PostgreSQL database, as in a group behind a shared subscription: each packet and
/// reading stored once whichever receiver got it, ids in commit order (what the relay's "rows after id X" needs), and
/// the work lease held by one receiver at a time and taken over when its session ends.
/// </summary>
public sealed class ReceiverGroupStoreTests
{
    private const int PacketsPerGateway = 120;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_receivers_storing_at_once_store_each_packet_once_and_a_reader_following_ids_misses_none()
    {
        var database = PostgresServer.Shared.CreateDatabase();
        using var first = new TempStore(sharedPostgres: database);
        using var second = new TempStore(sharedPostgres: database);
        var gateways = new[] { new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1), new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1) };
        var seen = new ConcurrentBag<long>();
        using var done = new CancellationTokenSource();
        var follower = Task.Run(() => FollowIds(first.Store, seen, done.Token), Ct);

        // Every packet goes to one receiver, every third to both (a redelivery after a receiver died before its PUBACK).
        var sends = new List<Task<IngestResult>>();
        foreach (var (gateway, index) in gateways.Select((gateway, index) => (gateway, index)))
        {
            for (var seq = 1; seq <= PacketsPerGateway; seq++)
            {
                var packet = gateway.SignReadings(seq, TestGateway.Reading((seq * 2) - 1, $"{seq}.5"), TestGateway.Reading(seq * 2, $"{seq}.75"));
                var topic = $"edgemeter/v1/{gateway.Id}/up";
                sends.Add((seq + index) % 2 == 0 ? first.IngestAsync(topic, packet) : second.IngestAsync(topic, packet));
                if (seq % 3 == 0)
                {
                    sends.Add(((seq + index) % 2 == 0 ? second : first).IngestAsync(topic, packet));
                }
            }
        }

        var results = await Task.WhenAll(sends);
        await done.CancelAsync();
        await follower;
        FollowOnce(first.Store, seen, seen.IsEmpty ? 0 : seen.Max());

        Assert.All(results, result => Assert.True(result.Disposition is IngestDisposition.Stored or IngestDisposition.Duplicate, result.Disposition.ToString()));
        Assert.Equal(2 * PacketsPerGateway, results.Count(result => result.Disposition == IngestDisposition.Stored));
        Assert.Equal(2 * PacketsPerGateway, first.Count("SELECT COUNT(*) FROM packets"));
        Assert.Equal(4 * PacketsPerGateway, first.Count("SELECT COUNT(*) FROM readings"));
        Assert.Equal([PacketsPerGateway, PacketsPerGateway], first.Strings("SELECT high_water FROM gateways ORDER BY gw").Select(long.Parse));
        var stored = first.Strings("SELECT id FROM packets ORDER BY id").Select(long.Parse).ToList();
        Assert.Equal(stored, seen.Order().ToList());
    }

    [Fact]
    public async Task The_work_lease_is_held_by_one_receiver_and_taken_again_when_its_session_ends()
    {
        var database = PostgresServer.Shared.CreateDatabase();
        var first = new TempStore(sharedPostgres: database);
        await Eventually.Until(() => first.Store.Lease.IsHeld, "the first receiver to take the lease");
        using var second = new TempStore(sharedPostgres: database);
        await Task.Delay(2 * AdvisoryLease.CheckInterval, Ct);
        Assert.False(second.Store.Lease.IsHeld);
        Assert.Equal(0, second.Store.Lease.Term);

        // The holder goes away (its connection closes, as when its process is killed): the other takes over.
        first.Dispose();
        await Eventually.Until(() => second.Store.Lease.IsHeld, "the second receiver to take the lease", timeoutSeconds: 10);
        Assert.Equal(1, second.Store.Lease.Term);

        // The server ends the holder's session (a network cut, a database restart): it notices, and takes it again.
        // Only this test's database: other tests' writers on the same server hold advisory locks too.
        second.Count("SELECT COUNT(pg_terminate_backend(l.pid)) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()");
        await Eventually.Until(() => second.Store.Lease.Term == 2 && second.Store.Lease.IsHeld, "the lease taken again, in a new term", timeoutSeconds: 10);
    }

    [Fact]
    public void A_database_that_would_acknowledge_commits_before_they_are_durable_is_refused()
    {
        var database = PostgresServer.Shared.CreateDatabase();
        using (var admin = new Npgsql.NpgsqlConnection(PostgresServer.Shared.ConnectionString))
        {
            admin.Open();
            using var lax = new Npgsql.NpgsqlCommand($"ALTER DATABASE {new Npgsql.NpgsqlConnectionStringBuilder(database).Database} SET synchronous_commit = off", admin);
            lax.ExecuteNonQuery();
        }

        var refused = Assert.Throws<InvalidOperationException>(() => PacketStore.OpenPostgres(database).Dispose());

        Assert.Contains("synchronous_commit is off", refused.Message, StringComparison.Ordinal);
    }

    // What a relay tier does: read the rows after the last id it saw, move on to the largest.
    private static async Task FollowIds(PacketStore store, ConcurrentBag<long> seen, CancellationToken stop)
    {
        long cursor = 0;
        while (!stop.IsCancellationRequested)
        {
            cursor = FollowOnce(store, seen, cursor);
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private static long FollowOnce(PacketStore store, ConcurrentBag<long> seen, long cursor)
    {
        foreach (var id in store.Read(db => db.Query("SELECT id FROM packets WHERE id > @after ORDER BY id", r => r.GetInt64(0), ("@after", cursor))))
        {
            seen.Add(id);
            cursor = id;
        }

        return cursor;
    }
}
