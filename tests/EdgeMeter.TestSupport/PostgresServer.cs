namespace EdgeMeter.TestSupport;

/// <summary>
/// A private PostgreSQL cluster (Debian's postgresql, the same server the receiver's PostgreSQL store is for): initdb
/// into a temporary folder, the server on a free loopback port with its socket in that folder, stopped and deleted on
/// Dispose. PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the postgres user the package
/// creates. Missing binaries skip the test with the reason, or fail it when CI=true.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Package = "postgresql";

    public const string User = "edgemeter";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly string _directory;
    private readonly string _pgCtl;
    private readonly bool _asRoot;

    private PostgresServer(string directory, string pgCtl, bool asRoot, int port)
    {
        _directory = directory;
        _pgCtl = pgCtl;
        _asRoot = asRoot;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster's folder: its data, socket and server log.</summary>
    public string Folder => _directory;

    /// <summary>An Npgsql connection string to the cluster's postgres database (trust authentication on loopback).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Database=postgres";

    private string Data => Path.Combine(_directory, "data");

    private string LogFile => Path.Combine(_directory, "server.log");

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

        return $"Host=127.0.0.1;Port={Port};Username={User};Database={name}";
    }

    public static PostgresServer Start()
    {
        var binaries = BinaryDirectory();
        var initdb = Peers.Require(binaries == null ? "initdb" : Path.Combine(binaries, "initdb"), Package);
        var pgCtl = Peers.Require(binaries == null ? "pg_ctl" : Path.Combine(binaries, "pg_ctl"), Package);
        var asRoot = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), "edgemeter-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (asRoot)
        {
            Expect(Peers.Run("chown", $"postgres:postgres {directory}", Limit), "chown the cluster's folder to postgres");
        }

        var server = new PostgresServer(directory, pgCtl, asRoot, FreePort.Next());
        try
        {
            Expect(server.RunTool(initdb, $"-D {server.Data} -U {User} -A trust -E UTF8 --no-locale --no-sync"), "initdb");
            Expect(
                server.RunTool(pgCtl, $"-D {server.Data} -l {server.LogFile} -w -t 60 -o \"-p {server.Port} -k {directory} -c listen_addresses=127.0.0.1\" start"),
                "pg_ctl start");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Data))
        {
            RunTool(_pgCtl, $"-D {Data} -m immediate -w stop");
        }

        Directory.Delete(_directory, recursive: true);
    }

    // Debian keeps the server's programs out of PATH, under /usr/lib/postgresql/VERSION/bin; the newest wins.
    private static string? BinaryDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

    private static void Expect((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            Assert.Fail($"PostgreSQL test cluster: {what} failed ({result.ExitCode}): {result.Output}");
        }
    }

    private (int ExitCode, string Output) RunTool(string program, string arguments) =>
        _asRoot ? Peers.Run("runuser", $"-u postgres -- {program} {arguments}", Limit) : Peers.Run(program, arguments, Limit);
}
