using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// State a writer keeps beside the database: told just before a transaction commits, and after a whole
/// transaction was rolled back. An item that fails alone must leave such state as it found it.
/// </summary>
internal interface ITransactionHooks
{
    /// <summary>Told right after BEGIN, with the gateway of each write that named one (packets), for a look-up ahead.</summary>
    void AfterBegin(DbConnection db, IReadOnlyCollection<string> gateways);

    void BeforeCommit(DbConnection db);

    void AfterRollback();
}

/// <summary>
/// The one writer of the database. Callers queue work; a dedicated thread takes everything waiting (up to
/// MaxBatch), runs the items in one transaction and commits once. Only after the COMMIT has returned
/// (synchronous=FULL: on disk) are the callers' tasks completed. One fsync covers many packets, so durability
/// before acknowledgement costs little. An item that throws is rolled back alone and its task faults: the batch
/// is rolled back and run again with each item inside its own SAVEPOINT (savepoints cost a statement each, so only
/// a batch that needs them pays). A failed COMMIT faults the whole batch (nothing of it was stored).
/// The <see cref="ITransactionHooks"/> see each transaction end, for state the writer keeps beside the database.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private readonly StoreDatabase _database;
    private readonly int _maxBatch;
    private readonly ILogger _log;
    private readonly BlockingCollection<WriteItem> _queue = new();
    private readonly Thread _thread;
    private volatile Exception? _fault;

    private readonly ITransactionHooks _hooks;

    private DbConnection Writer => _database.Writer;

    public GroupCommitWriter(StoreDatabase database, int maxBatch, ITransactionHooks hooks, ILogger log)
    {
        _database = database;
        _hooks = hooks;
        _maxBatch = maxBatch;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "edgemeter-store-writer" };
        _thread.Start();
    }

    /// <summary>Raised on the writer thread after a commit that included at least one item marked as new data.</summary>
    public event Action? NewDataCommitted;

    /// <summary>Runs on the writer thread after each commit, its callers answered (the WAL checkpointer's turn).</summary>
    public Action<DbConnection>? AfterCommit { get; set; }

    public int Pending => _queue.Count;

    public long Commits { get; private set; }

    public double CommitSecondsTotal { get; private set; }

    /// <summary>The last COMMIT failure, cleared by the next successful commit.</summary>
    public Exception? Fault => _fault;

    /// <param name="gateway">The gateway the write is about, if any (<see cref="ITransactionHooks.AfterBegin"/>).</param>
    public Task<T> Enqueue<T>(Func<DbConnection, T> work, bool newData, string? gateway = null)
    {
        var item = new WriteItem<T>(work, newData, gateway);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "the store is closed");
        }

        return item.Task;
    }

    /// <summary>Stops taking work, writes what is queued and ends the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        var batch = new List<WriteItem>(_maxBatch);
        while (_queue.TryTake(out var first, Timeout.Infinite))
        {
            batch.Add(first);
            while (batch.Count < _maxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<WriteItem> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var done = new List<WriteItem>(batch.Count);
        try
        {
            _database.EnsureWriterOpen();
            if (!RunAll(batch, done))
            {
                Rollback();
                done.Clear();
                RunEachInSavepoint(batch, done);
            }

            _hooks.BeforeCommit(Writer);
            _database.Commit(Writer);
            _fault = null;
        }
        catch (Exception failure) when (failure is DbException or InvalidOperationException)
        {
            // InvalidOperationException: the connection broke (the next batch opens another) or the commit rolled back.
            _fault = failure;
            _log.LogError("store commit failed, {Count} writes not stored: {Reason}", done.Count, failure.Message);
            TryRollback();
            foreach (var item in batch)
            {
                item.Fail(failure);
            }

            return;
        }

        Commits++;
        CommitSecondsTotal += Stopwatch.GetElapsedTime(started).TotalSeconds;
        var newData = false;
        foreach (var item in done)
        {
            item.Complete();
            newData |= item.NewData;
        }

        if (newData)
        {
            NewDataCommitted?.Invoke();
        }

        AfterCommit?.Invoke(Writer);
    }

    // The usual case: every item succeeds, no savepoints. False (transaction left open) when one threw.
    private bool RunAll(List<WriteItem> batch, List<WriteItem> done)
    {
        Begin(batch);
        foreach (var item in batch)
        {
            try
            {
                item.Run(Writer);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                return false;
            }

            done.Add(item);
        }

        return true;
    }

    private void RunEachInSavepoint(List<WriteItem> batch, List<WriteItem> done)
    {
        Begin(batch);
        foreach (var item in batch)
        {
            Writer.Execute("SAVEPOINT item");
            try
            {
                item.Run(Writer);
                Writer.Execute("RELEASE item");
                done.Add(item);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                Writer.Execute("ROLLBACK TO item");
                Writer.Execute("RELEASE item");
                item.Fail(failure);
            }
        }
    }

    private void Begin(List<WriteItem> batch)
    {
        Writer.Execute(_database.BeginWrite);
        _hooks.AfterBegin(Writer, batch.Select(item => item.Gateway).OfType<string>().ToHashSet(StringComparer.Ordinal));
    }

    private void Rollback()
    {
        Writer.Execute("ROLLBACK");
        _hooks.AfterRollback();
    }

    private void TryRollback()
    {
        try
        {
            Writer.Execute("ROLLBACK");
        }
        catch (Exception failure) when (failure is DbException or InvalidOperationException)
        {
            // No transaction left to roll back, or no connection.
        }

        _hooks.AfterRollback();
    }

    private abstract class WriteItem(bool newData, string? gateway)
    {
        public bool NewData { get; } = newData;

        public string? Gateway { get; } = gateway;

        public abstract void Run(DbConnection db);

        public abstract void Complete();

        public abstract void Fail(Exception failure);
    }

    private sealed class WriteItem<T>(Func<DbConnection, T> work, bool newData, string? gateway) : WriteItem(newData, gateway)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(DbConnection db) => _result = work(db);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception failure) => _completion.TrySetException(failure);
    }
}
