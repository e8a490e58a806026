using EdgeMeter.Common.Postgres;

namespace EdgeMeter.TestSupport;

/// <summary>
/// A private PostgreSQL cluster (Debian's postgresql, the same server the receiver's PostgreSQL store is for): initdb
/// into a temporary folder, the server on a free loopback port with its socket in that folder, stopped and deleted on
/// Dispose. PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the postgres user the package
/// creates. Missing binaries skip the test with the reason, or fail it when CI=true.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Package = LocalPostgresCluster.Package;

    public const string User = "edgemeter";

    private readonly LocalPostgresCluster _cluster;

    private PostgresServer(LocalPostgresCluster cluster) => _cluster = cluster;

    public int Port => _cluster.Port;

    /// <summary>The cluster's folder: its data, socket and server log.</summary>
    public string Folder => _cluster.Folder;

    /// <summary>An Npgsql connection string to the cluster's postgres database (trust authentication on loopback).</summary>
    public string ConnectionString => _cluster.ConnectionString();

    /// <summary>
    /// One cluster for the whole test run, started on first use and stopped when the process exits: a test takes a
    /// database of its own from it (<see cref="CreateDatabase"/>), which costs a fraction of a cluster's start.
    /// </summary>
    public static PostgresServer Shared => SharedServer.Value;

    private static readonly Lazy<PostgresServer> SharedServer = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private static int _databases;

    /// <summary>Creates an empty database in this cluster; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var admin = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            admin.Open();
            using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }

        return _cluster.ConnectionString(name);
    }

    public static PostgresServer Start()
    {
        var binaries = LocalPostgresCluster.BinaryDirectory();
        Peers.Require(binaries == null ? "initdb" : Path.Combine(binaries, "initdb"), Package);
        var folder = Path.Combine(Path.GetTempPath(), "edgemeter-pg-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            return new PostgresServer(LocalPostgresCluster.Start(folder, FreePort.Next(), User));
        }
        catch (InvalidOperationException failure)
        {
            Assert.Fail(failure.Message);
            throw;
        }
    }

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_cluster.Folder, recursive: true);
    }
}
