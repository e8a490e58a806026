using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>The store's schema as older databases meet it: made as they were, opened by the store, then looked at.</summary>
[Trait(TestStores.Trait, "Sqlite")]
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-schema-").FullName;

    private string DbPath => Path.Combine(_directory, "receiver.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_database_made_with_the_readings_by_gateway_index_loses_it_and_gains_the_time_index_when_opened()
    {
        using var check = OpenedByTheStore(old =>
        {
            SqliteSchema.Create(old);
            old.Execute("CREATE INDEX readings_by_gateway ON readings(gw, id)");
        });

        Assert.Equal(["readings_by_packet", "readings_by_time"], check.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'readings' AND sql IS NOT NULL ORDER BY name", r => r.GetString(0)));
    }

    [Fact]
    public void A_version_1_database_gains_the_indicator_tables_and_becomes_version_4()
    {
        using var check = OpenedByTheStore(old => old.Execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta(key, value) VALUES ('schema', '1')"));

        Assert.Equal("4", check.Scalar("SELECT value FROM meta WHERE key = 'schema'"));
        Assert.Equal(1L, check.ScalarLong("SELECT COUNT(*) FROM sqlite_master WHERE name = 'indicator_uploads'"));
    }

    [Fact]
    public void A_version_2_database_keeps_its_dead_letters_as_dead_and_can_resend_them()
    {
        using var check = OpenedByTheStore(old => old.Execute("""
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta(key, value) VALUES ('schema', '2');
            CREATE TABLE dead_letters(id INTEGER PRIMARY KEY, tier TEXT NOT NULL, gw TEXT NOT NULL, row_id INTEGER NOT NULL, n INTEGER,
                code INTEGER NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL);
            INSERT INTO dead_letters(tier, gw, row_id, code, reason, created_at) VALUES ('provincial', 'e', 7, 422, 'refused', '2026-01-01T00:00:00.000Z');
            """));

        Assert.Equal("4", check.Scalar("SELECT value FROM meta WHERE key = 'schema'"));
        Assert.Equal([("dead", 1L)], check.Query("SELECT state, attempts FROM dead_letters", r => (r.GetString(0), r.GetInt64(1))));
    }

    [Fact]
    public void A_version_3_database_gains_the_pruned_sequence_of_its_gateways()
    {
        using var check = OpenedByTheStore(old =>
        {
            SqliteSchema.Create(old);
            old.Execute("ALTER TABLE gateways DROP COLUMN pruned_seq; UPDATE meta SET value = '3' WHERE key = 'schema'");
            old.Execute("INSERT INTO gateways(gw, high_water, first_seen, last_seen) VALUES ('gw-1', 41, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
        });

        Assert.Equal("4", check.Scalar("SELECT value FROM meta WHERE key = 'schema'"));
        Assert.Equal([(41L, 0L)], check.Query("SELECT high_water, pruned_seq FROM gateways", r => (r.GetInt64(0), r.GetInt64(1))));
    }

    [Fact]
    public void A_database_of_a_newer_version_is_refused()
    {
        using (var newer = Connect())
        {
            newer.Execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta(key, value) VALUES ('schema', '5')");
        }

        var failure = Assert.Throws<InvalidOperationException>(() => PacketStore.Open(DbPath).Dispose());
        Assert.Contains("schema version 5", failure.Message, StringComparison.Ordinal);
    }

    // Makes the database with <paramref name="make"/>, lets the store open (and upgrade) it, and returns a connection to look.
    private SqliteConnection OpenedByTheStore(Action<SqliteConnection> make)
    {
        using (var old = Connect())
        {
            make(old);
        }

        using (PacketStore.Open(DbPath))
        {
        }

        return Connect();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        return connection;
    }
}
