using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Relay;

/// <summary>
/// The HTTP tier finds a gateway's readings through its packets (no index of readings by gateway): for every
/// cursor and batch size it must select exactly what "readings of the gateway after the cursor, in id order" does.
/// </summary>
public sealed class RelayQueryTests
{
    private readonly TestGateway _gateway1 = new(TestKeys.Gateway1, TestKeys.Gateway1V1);
    private readonly TestGateway _gateway2 = new(TestKeys.Gateway2, TestKeys.Gateway2V1);

    [Fact]
    public async Task Readings_after_any_cursor_are_those_of_the_gateway_in_id_order()
    {
        using var store = new TempStore();
        for (var seq = 1; seq <= 6; seq++)
        {
            // Interleaved gateways, packets of 3 and 2 readings; gw-0001's packet 4 re-sends two readings of packet 3 with a new one.
            var first = seq == 4 ? 10 : seq * 3;
            await store.IngestAsync("edgemeter/v1/gw-0001/up", _gateway1.SignReadings(seq, Readings(first, 3)));
            await store.IngestAsync("edgemeter/v1/gw-0002/up", _gateway2.SignReadings(seq, Readings(seq * 2, 2)));
        }

        foreach (var gateway in new[] { TestKeys.Gateway1, TestKeys.Gateway2 })
        {
            var cursors = store.Store.Read(db => db.Query("SELECT id FROM readings", r => r.GetInt64(0))).Prepend(0);
            foreach (var cursor in cursors)
            {
                Assert.Equal(Reference(store, gateway, cursor, 1000).Count, Lag(store, gateway, cursor));
                foreach (var limit in new[] { 1, 2, 4, 1000 })
                {
                    Assert.Equal(Reference(store, gateway, cursor, limit), Pending(store, gateway, cursor, limit));
                }
            }
        }

        Assert.Equal(16 + 12, store.Count("SELECT COUNT(*) FROM readings"));
    }

    [Fact]
    public void A_database_made_with_the_readings_by_gateway_index_loses_it_when_opened()
    {
        var directory = Directory.CreateTempSubdirectory("edgemeter-schema-").FullName;
        var path = Path.Combine(directory, "receiver.db");
        try
        {
            using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                StoreSchema.Create(old);
                old.Execute("CREATE INDEX readings_by_gateway ON readings(gw, id)");
            }

            using (PacketStore.Open(path))
            {
            }

            using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            check.Open();
            Assert.Equal(["readings_by_packet"], check.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'readings' AND sql IS NOT NULL ORDER BY name", r => r.GetString(0)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static EdgeMeter.Core.Messages.PacketReading[] Readings(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(n => TestGateway.Reading(n, $"{n}.5", minute: n % 60))];

    private static List<long> Reference(TempStore store, string gateway, long cursor, int limit) =>
        store.Store.Read(db => db.Query(
            "SELECT id FROM readings NOT INDEXED WHERE gw = $gw AND id > $after ORDER BY id LIMIT $limit", r => r.GetInt64(0),
            ("$gw", gateway), ("$after", cursor), ("$limit", limit)));

    private static List<long> Pending(TempStore store, string gateway, long cursor, int limit) =>
        store.Store.Read(db => db.Query(HttpTier.PendingReadingsSql, r => r.GetInt64(0), ("$gw", gateway), ("$after", cursor), ("$limit", limit)));

    private static long Lag(TempStore store, string gateway, long cursor) =>
        store.Store.Read(db => db.ScalarLong(HttpTier.LagReadingsSql, ("$gw", gateway), ("$after", cursor)) ?? -1);
}
