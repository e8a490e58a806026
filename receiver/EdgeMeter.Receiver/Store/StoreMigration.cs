using EdgeMeter.Receiver.Config;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EdgeMeter.Receiver.Store;

/// <summary>Brings the configured database's schema up to date without starting a store (`edgemeter-receiver migrate`).</summary>
internal static class StoreMigration
{
    /// <summary>The schema versions before and after.</summary>
    public static (int From, int To) Apply(StoreOptions store)
    {
        if (store.Database == StoreKind.Postgres)
        {
            using var db = new NpgsqlConnection(store.ConnectionString);
            db.Open();
            return PostgresSchema.Migrate(db, Environment.MachineName);
        }

        var from = File.Exists(store.Path) ? SqliteVersion(store.Path) : 0;
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            db.Open();
            SqliteSchema.Create(db);
        }

        return (from, SqliteSchema.Version);
    }

    private static int SqliteVersion(string path)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        return db.Scalar("SELECT value FROM meta WHERE key = 'schema'") is string text && int.TryParse(text, out var version) ? version : 0;
    }
}
