using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The durable store: SQLite in WAL mode with synchronous=FULL, written by one group-commit writer
/// (<see cref="GroupCommitWriter"/>) and read by any number of short-lived reader connections. A task returned
/// by a write completes only once its data is on disk; that is what the ingest waits for before acknowledging.
/// </summary>
public sealed class PacketStore : IDisposable
{
    private readonly SqliteConnection _writerConnection;
    private readonly GroupCommitWriter _writer;
    private readonly string _readerConnectionString;
    private readonly TimeProvider _time;
    private readonly IngestWrite _ingest;
    private readonly WalCheckpointer? _checkpointer;
    private int _disposed;

    private PacketStore(string path, SqliteConnection writerConnection, int maxBatch, long replayWindow, TimeProvider time, ILogger log, bool checkpointInCommit)
    {
        Path = path;
        _writerConnection = writerConnection;
        _time = time;
        _ingest = new IngestWrite(replayWindow);
        _readerConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();
        _writer = new GroupCommitWriter(writerConnection, maxBatch, _ingest, log);
        _writer.NewDataCommitted += () => NewData?.Invoke();
        if (!checkpointInCommit)
        {
            _checkpointer = new WalCheckpointer(_readerConnectionString, log);
            _writer.AfterCommit = _checkpointer.FinishAfterCommit;
        }
    }

    /// <summary>WAL checkpoints so far: by the checkpoint thread, and by the writer to let the WAL start again (zeros when they run in commits).</summary>
    public (long Background, long Finishing) Checkpoints => _checkpointer?.Checkpoints ?? (0, 0);

    /// <summary>The most 4 KB frames the WAL held at a checkpoint.</summary>
    public long LargestWalFrames => _checkpointer?.LargestWalFrames ?? 0;

    /// <summary>Raised (on the writer thread; keep handlers short) after packets, commands or replies were committed.</summary>
    public event Action? NewData;

    public string Path { get; }

    /// <summary>Writes queued and not yet committed: the store's lag.</summary>
    public int PendingWrites => _writer.Pending;

    public long Commits => _writer.Commits;

    public double CommitSecondsTotal => _writer.CommitSecondsTotal;

    /// <summary>Null while commits succeed; the last commit failure otherwise.</summary>
    public Exception? Fault => _writer.Fault;

    /// <summary>
    /// WAL pages between checkpoints when they run inside commits (SQLite's default is 1,000). Packets of many
    /// gateways dirty a leaf page per gateway in each per-gateway index, and a checkpoint writes each dirty page once
    /// however often it changed since the last: with 200 gateways a 40 MB WAL stored 16,000 packets/s against 11,700
    /// with 4 MB. By default checkpoints run beside the commits instead (<see cref="WalCheckpointer"/>).
    /// </summary>
    public const int WalCheckpointPages = 10_000;

    /// <summary>
    /// Opens (creating if needed) the database. Throws <see cref="SqliteException"/> or InvalidOperationException.
    /// <paramref name="checkpointInCommit"/>: SQLite's automatic checkpoint inside commits, as before issue 20 (for comparison).
    /// </summary>
    public static PacketStore Open(string path, int maxBatch = 256, long replayWindow = 1_000_000, TimeProvider? time = null, ILogger? log = null, bool checkpointInCommit = false)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var mode = connection.Scalar("PRAGMA journal_mode=WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"database {path}: cannot switch to WAL (journal_mode is {mode})");
            }

            connection.Execute("PRAGMA synchronous=FULL");
            connection.Execute($"PRAGMA wal_autocheckpoint={(checkpointInCommit ? WalCheckpointPages : 0)}");
            connection.Execute("PRAGMA journal_size_limit=67108864"); // a WAL file grown past 64 MB is cut back when it starts again
            connection.Execute("PRAGMA busy_timeout=5000");
            StoreSchema.Create(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new PacketStore(path, connection, maxBatch, replayWindow, time ?? TimeProvider.System, log ?? NullLogger.Instance, checkpointInCommit);
    }

    /// <summary>Stores a verified packet (replay decision included) and completes once it is on disk.</summary>
    public Task<StoreOutcome> StoreAsync(IngestedPacket packet, string? client, string topic)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _writer.Enqueue(db => _ingest.Apply(db, packet, client, topic, now), newData: true);
    }

    /// <summary>Records a refused message and completes once it is on disk.</summary>
    public Task QuarantineAsync(QuarantineEntry entry) =>
        _writer.Enqueue(db =>
        {
            IngestWrite.Quarantine(db, entry);
            return true;
        }, newData: false);

    /// <summary>Runs <paramref name="work"/> in the writer's next group transaction.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, bool newData = false) => _writer.Enqueue(work, newData);

    public Task WriteAsync(Action<SqliteConnection> work, bool newData = false) =>
        _writer.Enqueue(db =>
        {
            work(db);
            return true;
        }, newData);

    /// <summary>
    /// Runs a retention batch in the writer's next group transaction. The batch reports each gateway's highest deleted
    /// seq to the replay ledger (the second argument), so that a replay of a deleted packet is refused, not stored again.
    /// </summary>
    internal Task<T> PruneAsync<T>(Func<SqliteConnection, Action<string, long>, T> batch) => _writer.Enqueue(db => batch(db, _ingest.RaisePruned), newData: false);

    /// <summary>A reader connection (WAL: readers never wait for the writer). Dispose it after use.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs a query on a fresh reader connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> query)
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

        _writer.Dispose();
        _checkpointer?.Dispose();
        _ingest.Dispose();
        _writerConnection.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_readerConnectionString));
    }
}
