using EdgeMeter.Receiver.Config;
using EdgeMeter.TestSupport;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>
/// The database the receiver's tests run on. SQLite by default; EDGEMETER_TEST_STORE=postgres runs the same tests on
/// PostgreSQL, each test with a database of its own in the run's cluster. .ci/run runs the receiver's tests both ways.
/// </summary>
internal static class TestStores
{
    public const string Variable = "EDGEMETER_TEST_STORE";

    /// <summary>The trait of tests of SQLite's own machinery (its schema, WAL, raw statements): the PostgreSQL pass leaves them out.</summary>
    public const string Trait = "Database";

    public static StoreKind Default =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "postgres", StringComparison.OrdinalIgnoreCase) ? StoreKind.Postgres : StoreKind.Sqlite;

    /// <summary>A store on the tests' database: a file in <paramref name="directory"/>, or a new PostgreSQL database.</summary>
    public static EdgeMeter.Receiver.Store.PacketStore Open(string directory, TimeProvider time) =>
        Default == StoreKind.Postgres
            ? EdgeMeter.Receiver.Store.PacketStore.OpenPostgres(PostgresServer.Shared.CreateDatabase(), time: time)
            : EdgeMeter.Receiver.Store.PacketStore.Open(Path.Combine(directory, "receiver.db"), time: time);

    /// <summary>Points <paramref name="store"/> at a new database: a file in <paramref name="directory"/>, or a new PostgreSQL database.</summary>
    public static void Configure(StoreOptions store, string directory, StoreKind kind)
    {
        store.Database = kind;
        store.Path = Path.Combine(directory, "receiver.db");
        store.ConnectionString = kind == StoreKind.Postgres ? PostgresServer.Shared.CreateDatabase() : null;
    }
}
