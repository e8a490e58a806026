using System.Data.Common;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Verify;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The durable store, on SQLite (one receiver, a file beside it) or PostgreSQL (receivers in a group on one
/// database), written by one group-commit writer (<see cref="GroupCommitWriter"/>) and read by any number of
/// short-lived reader connections. A task returned by a write completes only once its data is committed
/// durably; that is what the ingest waits for before acknowledging.
/// </summary>
public sealed class PacketStore : IDisposable
{
    private readonly StoreDatabase _database;
    private readonly GroupCommitWriter _writer;
    private readonly TimeProvider _time;
    private readonly IngestWrite _ingest;
    private int _disposed;

    private PacketStore(StoreDatabase database, int maxBatch, long replayWindow, TimeProvider time, ILogger log)
    {
        _database = database;
        _time = time;
        _ingest = new IngestWrite(replayWindow, database.CreateIngestStatements(), database.SharedWithOtherWriters);
        _writer = new GroupCommitWriter(database, maxBatch, _ingest, log);
        _writer.NewDataCommitted += () => NewData?.Invoke();
        _writer.AfterCommit = database.AfterCommit;
        Lease = database.CreateLease(log);
    }

    /// <summary>Whether this receiver does the background work now (always, on SQLite).</summary>
    public WorkLease Lease { get; }

    /// <summary>WAL checkpoints so far (SQLite): by the checkpoint thread, and by the writer to let the WAL start again (zeros when they run in commits).</summary>
    public (long Background, long Finishing) Checkpoints => _database.Checkpoints;

    /// <summary>The most 4 KB frames the WAL held at a checkpoint (SQLite).</summary>
    public long LargestWalFrames => _database.LargestWalFrames;

    /// <summary>Raised (on the writer thread; keep handlers short) after packets, commands or replies were committed.</summary>
    public event Action? NewData;

    /// <summary>The SQLite file, or the PostgreSQL host and database.</summary>
    public string Path => _database.Description;

    /// <summary>True on PostgreSQL, where other receivers may store packets into the same database.</summary>
    public bool Shared => _database.SharedWithOtherWriters;

    /// <summary>Writes queued and not yet committed: the store's lag.</summary>
    public int PendingWrites => _writer.Pending;

    public long Commits => _writer.Commits;

    public double CommitSecondsTotal => _writer.CommitSecondsTotal;

    /// <summary>Null while commits succeed; the last commit failure otherwise.</summary>
    public Exception? Fault => _writer.Fault;

    /// <summary>
    /// Opens (creating if needed) a SQLite database file. Throws Microsoft.Data.Sqlite.SqliteException or InvalidOperationException.
    /// <paramref name="checkpointInCommit"/>: SQLite's automatic checkpoint inside commits, as before issue 20 (for comparison).
    /// </summary>
    public static PacketStore Open(string path, int maxBatch = 256, long replayWindow = 1_000_000, TimeProvider? time = null, ILogger? log = null, bool checkpointInCommit = false)
    {
        log ??= NullLogger.Instance;
        return new PacketStore(SqliteDatabase.Open(path, log, checkpointInCommit), maxBatch, replayWindow, time ?? TimeProvider.System, log);
    }

    /// <summary>
    /// Connects to a PostgreSQL database and brings its schema up to date (<see cref="PostgresSchema"/>).
    /// Throws Npgsql.NpgsqlException or InvalidOperationException.
    /// </summary>
    public static PacketStore OpenPostgres(string connectionString, int maxBatch = 256, long replayWindow = 1_000_000, TimeProvider? time = null, ILogger? log = null)
    {
        log ??= NullLogger.Instance;
        return new PacketStore(PostgresDatabase.Open(connectionString, log), maxBatch, replayWindow, time ?? TimeProvider.System, log);
    }

    /// <summary>The store the configuration names.</summary>
    public static PacketStore Open(StoreOptions options, TimeProvider? time = null, ILogger? log = null) =>
        options.Database == StoreKind.Postgres
            ? OpenPostgres(options.ConnectionString!, options.MaxBatch, options.ReplayWindow, time, log)
            : Open(options.Path, options.MaxBatch, options.ReplayWindow, time, log, options.CheckpointInCommit);

    /// <summary>
    /// A connection for queries beside a running receiver, without opening a store: read-only on SQLite; on PostgreSQL
    /// the schema must be there already. Dispose it after use.
    /// </summary>
    public static DbConnection OpenQueryConnection(StoreOptions options)
    {
        DbConnection connection = options.Database == StoreKind.Postgres
            ? new Npgsql.NpgsqlConnection(options.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(
                new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = options.Path, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Stores a verified packet (replay decision included) and completes once it is on disk.</summary>
    public Task<StoreOutcome> StoreAsync(IngestedPacket packet, string? client, string topic)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _writer.Enqueue(db => _ingest.Apply(db, packet, client, topic, now), newData: true, packet.GatewayId);
    }

    /// <summary>Records a refused message and completes once it is on disk.</summary>
    public Task QuarantineAsync(QuarantineEntry entry) =>
        _writer.Enqueue(db =>
        {
            IngestWrite.Quarantine(db, entry);
            return true;
        }, newData: false);

    /// <summary>Runs <paramref name="work"/> in the writer's next group transaction.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, T> work, bool newData = false) => _writer.Enqueue(work, newData);

    public Task WriteAsync(Action<DbConnection> work, bool newData = false) =>
        _writer.Enqueue(db =>
        {
            work(db);
            return true;
        }, newData);

    /// <summary>
    /// Runs a retention batch in the writer's next group transaction. The batch reports each gateway's highest deleted
    /// seq to the replay ledger (the second argument), so that a replay of a deleted packet is refused, not stored again.
    /// </summary>
    internal Task<T> PruneAsync<T>(Func<DbConnection, Action<string, long>, T> batch) => _writer.Enqueue(db => batch(db, _ingest.RaisePruned), newData: false);

    /// <summary>A reader connection (readers never wait for the writer). Dispose it after use.</summary>
    public DbConnection OpenReader() => _database.OpenReader();

    /// <summary>Runs a query on a fresh reader connection.</summary>
    public T Read<T>(Func<DbConnection, T> query)
    {
        using var connection = OpenReader();
        return query(connection);
    }

    /// <summary>Writes what is queued, then closes the database.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Lease.Dispose();
        _writer.Dispose();
        _ingest.Dispose();
        _database.Dispose();
    }
}
