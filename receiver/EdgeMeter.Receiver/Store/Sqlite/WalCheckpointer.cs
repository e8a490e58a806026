using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// Keeps WAL checkpoints out of the commits the ingest waits for. SQLite's automatic checkpoint runs inside the COMMIT
/// that crosses its threshold; with a 40 MB WAL that commit took tens of milliseconds, the p99 of issue 20. Here the
/// writer's automatic checkpoint is off. A thread with a connection of its own copies committed pages into the
/// database every <see cref="DefaultInterval"/> (PASSIVE: it never blocks the writer). Once the WAL holds more than
/// <see cref="RestartFrames"/>, the writer, after the callers of a commit have their answers, copies the few pages the
/// thread has not (<see cref="FinishAfterCommit"/>), so that its next transaction starts the WAL from the beginning:
/// the WAL stays bounded. The writer learns that the WAL is large from the WAL file itself, not only from the thread's
/// last count: a count can be 200 ms old (a burst writes tens of MB in that time) or older on a busy machine, which let
/// the WAL reach 69 MB. A WAL file only grows when frames are appended past its end, and a restart cuts it back to
/// <see cref="RestartBytes"/> (journal_size_limit), so a file longer than that holds more frames than the bound.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>4096 frames: 16 MB with SQLite's 4 KB pages.</summary>
    public const int RestartFrames = 4096;

    /// <summary>The WAL file holding <see cref="RestartFrames"/> frames of 4 KB pages: a 32-byte header, then each
    /// frame a 24-byte header and its page. Also the journal_size_limit a restart cuts the file back to.</summary>
    public const long RestartBytes = 32 + (RestartFrames * (24L + 4096));

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    private readonly SqliteConnection _db;
    private readonly ILogger _log;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly TimeSpan _interval;
    private readonly FileInfo _walFile;
    private long _walFrames;
    private long _largestWalFrames;
    private long _background;
    private long _finishing;

    /// <param name="interval">How often the thread checkpoints; <see cref="Timeout.InfiniteTimeSpan"/> never (tests).</param>
    public WalCheckpointer(string connectionString, ILogger log, TimeSpan? interval = null)
    {
        _interval = interval ?? DefaultInterval;
        _walFile = new FileInfo(new SqliteConnectionStringBuilder(connectionString).DataSource + "-wal");
        _db = new SqliteConnection(connectionString);
        _db.Open();
        _db.Execute("PRAGMA busy_timeout=5000");
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "edgemeter-wal-checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoints run by the thread, and by the writer to let the WAL start again.</summary>
    public (long Background, long Finishing) Checkpoints => (Interlocked.Read(ref _background), Interlocked.Read(ref _finishing));

    /// <summary>The most frames the WAL held at a checkpoint.</summary>
    public long LargestWalFrames => Interlocked.Read(ref _largestWalFrames);

    /// <summary>Run by the writer after a commit's callers are answered: lets the WAL start again once it is large.</summary>
    public void FinishAfterCommit(SqliteConnection writer)
    {
        if (Interlocked.Read(ref _walFrames) < RestartFrames && WalFileBytes() <= RestartBytes)
        {
            return;
        }

        var (log, done) = Checkpoint(writer);
        Interlocked.Increment(ref _finishing);
        Note(log);
        Interlocked.Exchange(ref _walFrames, log == done ? 0 : log);
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _db.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            try
            {
                var (log, _) = Checkpoint(_db);
                Interlocked.Increment(ref _background);
                Note(log);
                Interlocked.Exchange(ref _walFrames, log);
            }
            catch (SqliteException failure)
            {
                _log.LogWarning("WAL checkpoint failed, tried again in {Interval} ms: {Reason}", _interval.TotalMilliseconds, failure.Message);
            }
        }
    }

    private long WalFileBytes()
    {
        _walFile.Refresh();
        return _walFile.Exists ? _walFile.Length : 0;
    }

    private void Note(long walFrames)
    {
        long largest;
        while (walFrames > (largest = Interlocked.Read(ref _largestWalFrames)) && Interlocked.CompareExchange(ref _largestWalFrames, walFrames, largest) != largest)
        {
        }
    }

    /// <summary>A PASSIVE checkpoint: the WAL's frames, and how many of them are now in the database.</summary>
    private static (long Log, long Done) Checkpoint(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(1), reader.GetInt64(2));
    }
}
