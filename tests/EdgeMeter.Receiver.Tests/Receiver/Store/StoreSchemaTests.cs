using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>The store's schema as older databases meet it.</summary>
public sealed class StoreSchemaTests
{
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

    [Fact]
    public void A_version_1_database_gains_the_indicator_tables_and_becomes_version_3()
    {
        var directory = Directory.CreateTempSubdirectory("edgemeter-schema-").FullName;
        var path = Path.Combine(directory, "receiver.db");
        try
        {
            using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                old.Execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                old.Execute("INSERT INTO meta(key, value) VALUES ('schema', '1')");
            }

            using (PacketStore.Open(path))
            {
            }

            using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            check.Open();
            Assert.Equal("3", check.Scalar("SELECT value FROM meta WHERE key = 'schema'"));
            Assert.Equal(1L, check.ScalarLong("SELECT COUNT(*) FROM sqlite_master WHERE name = 'indicator_uploads'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_version_2_database_keeps_its_dead_letters_as_dead_and_can_resend_them()
    {
        var directory = Directory.CreateTempSubdirectory("edgemeter-schema-").FullName;
        var path = Path.Combine(directory, "receiver.db");
        try
        {
            using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                old.Execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                old.Execute("INSERT INTO meta(key, value) VALUES ('schema', '2')");
                old.Execute("""
                    CREATE TABLE dead_letters(id INTEGER PRIMARY KEY, tier TEXT NOT NULL, gw TEXT NOT NULL, row_id INTEGER NOT NULL, n INTEGER,
                        code INTEGER NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL);
                    INSERT INTO dead_letters(tier, gw, row_id, code, reason, created_at) VALUES ('provincial', 'e', 7, 422, 'refused', '2026-01-01T00:00:00.000Z');
                    """);
            }

            using (PacketStore.Open(path))
            {
            }

            using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            check.Open();
            Assert.Equal("3", check.Scalar("SELECT value FROM meta WHERE key = 'schema'"));
            Assert.Equal([("dead", 1L)], check.Query("SELECT state, attempts FROM dead_letters", r => (r.GetString(0), r.GetInt64(1))));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_database_of_a_newer_version_is_refused()
    {
        var directory = Directory.CreateTempSubdirectory("edgemeter-schema-").FullName;
        var path = Path.Combine(directory, "receiver.db");
        try
        {
            using (var newer = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                newer.Open();
                newer.Execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                newer.Execute("INSERT INTO meta(key, value) VALUES ('schema', '4')");
            }

            var failure = Assert.Throws<InvalidOperationException>(() => PacketStore.Open(path).Dispose());
            Assert.Contains("schema version 4", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
