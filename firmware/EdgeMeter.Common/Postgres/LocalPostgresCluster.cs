using System.Diagnostics;

namespace EdgeMeter.Common.Postgres;

/// <summary>
/// A private PostgreSQL cluster on loopback, for the demo and the tests of the receiver's PostgreSQL store: Debian's
/// postgresql (its programs under /usr/lib/postgresql/VERSION/bin, off PATH), initdb into a folder, the server on a
/// given port with its socket in that folder, trust authentication, fsync and synchronous_commit left on (the store
/// refuses them off). PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user the
/// package creates. Dispose stops the server.
/// </summary>
public sealed class LocalPostgresCluster : IDisposable
{
    public const string Package = "postgresql";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private readonly string _pgCtl;
    private readonly bool _asRoot;

    private LocalPostgresCluster(string folder, string pgCtl, bool asRoot, int port, string user)
    {
        Folder = folder;
        _pgCtl = pgCtl;
        _asRoot = asRoot;
        Port = port;
        User = user;
    }

    /// <summary>The cluster's folder: data, socket and server log.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>The superuser initdb created.</summary>
    public string User { get; }

    public string LogFile => Path.Combine(Folder, "server.log");

    private string Data => Path.Combine(Folder, "data");

    /// <summary>Where initdb and pg_ctl are (the newest version installed), or null when PostgreSQL is not installed.</summary>
    public static string? BinaryDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

    /// <summary>
    /// Creates and starts a cluster in <paramref name="folder"/> (created; it must not hold one already). Throws
    /// InvalidOperationException naming what failed, or what to install.
    /// </summary>
    public static LocalPostgresCluster Start(string folder, int port, string user)
    {
        var binaries = BinaryDirectory() ?? throw new InvalidOperationException($"PostgreSQL is not installed (Debian package {Package}): no /usr/lib/postgresql/*/bin/pg_ctl");
        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(folder);
        if (asRoot)
        {
            Expect(Run("chown", ["postgres:postgres", folder]), "chown the cluster's folder to postgres");
        }

        var cluster = new LocalPostgresCluster(Path.GetFullPath(folder), Path.Combine(binaries, "pg_ctl"), asRoot, port, user);
        try
        {
            Expect(cluster.RunTool(Path.Combine(binaries, "initdb"), ["-D", cluster.Data, "-U", user, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]), "initdb");
            Expect(
                cluster.RunTool(cluster._pgCtl, ["-D", cluster.Data, "-l", cluster.LogFile, "-w", "-t", "60", "-o", $"-p {port} -k {cluster.Folder} -c listen_addresses=127.0.0.1", "start"]),
                "pg_ctl start");
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>An Npgsql connection string to <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database = "postgres") => $"Host=127.0.0.1;Port={Port};Username={User};Database={database}";

    /// <summary>Stops the server at once (its data stays in <see cref="Folder"/>).</summary>
    public void Dispose()
    {
        if (Directory.Exists(Data))
        {
            RunTool(_pgCtl, ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
    }

    private (int ExitCode, string Output) RunTool(string program, string[] arguments) =>
        _asRoot ? Run("runuser", ["-u", "postgres", "--", program, .. arguments]) : Run(program, arguments);

    private static void Expect((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL cluster: {what} failed ({result.ExitCode}): {result.Output.Trim()}");
        }
    }

    private static (int ExitCode, string Output) Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {Limit.TotalSeconds} s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
