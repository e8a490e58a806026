using System.Collections.Concurrent;
using System.Data.Common;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Relay;

/// <summary>A stored row a tier relays: its id orders it within its gateway.</summary>
public interface IRelayRow
{
    long Id { get; }
}

/// <summary>A row the platform refused for good, kept in dead_letters with the reason instead of being dropped.</summary>
public sealed record DeadLetter(long RowId, long? ReadingSequence, int Code, string Reason);

/// <summary>A dead letter an operator marked for resending.</summary>
internal sealed record MarkedLetter(long Id, string Gateway, long Row);

/// <summary>
/// What one send did. The first <see cref="Advanced"/> rows are done (delivered, dead-lettered or not for this
/// tier); the cursor moves past them. A non-null <see cref="RetryReason"/> means the next row met a failure worth
/// retrying: the gateway backs off and that row comes first next time.
/// </summary>
public readonly record struct BatchOutcome(int Advanced, int Delivered, IReadOnlyList<DeadLetter> DeadLetters, int Unmapped, string? RetryReason);

/// <summary>A running tier, whatever it sends.</summary>
public interface IRelayTier : IAsyncDisposable
{
    string Name { get; }

    IReadOnlyList<string> Gateways { get; }

    IReadOnlyDictionary<string, GatewayRelayState> States { get; }

    int FailingGateways { get; }

    void Start();

    void Wake();

    long Lag();

    /// <summary>When the oldest row still waiting for this tier was stored (null: nothing waits): the lag as time.</summary>
    DateTime? OldestWaitingUtc();

    Task StopAsync();
}

/// <summary>How one gateway stands in one tier.</summary>
public sealed class GatewayRelayState
{
    public long Cursor { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset NextAttempt { get; set; }

    public string? LastError { get; set; }

    /// <summary>When the platform last took something of this gateway's (since the receiver started).</summary>
    public DateTimeOffset? LastSuccess { get; set; }

    /// <summary>Failed attempts since the receiver started (each one retried with backoff).</summary>
    public long Retries { get; set; }
}

/// <summary>
/// One platform tier's relay loop: at least once, in order per gateway, independent of every other tier (its own
/// loop, cursors and backoff; one tier down holds nothing else up). For each gateway routed to the tier it sends
/// the rows after its cursor in batches and persists the new cursor (and any dead letters) in one store write after
/// the platform's receipt; a crash in between means a resend, which platforms absorb by idempotency key. A
/// failure backs that gateway off (exponential, jittered) while the others keep going.
/// </summary>
public abstract class TierRelay<TRow> : IRelayTier
    where TRow : IRelayRow
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<string> _gateways;
    private readonly PacketStore _store;
    private readonly PlatformOptions _options;
    private readonly TimeProvider _time;
    private readonly RetryPolicy _retry;
    private readonly ConcurrentDictionary<string, GatewayRelayState> _states = new(StringComparer.Ordinal);
    private readonly WakeableLoop _loop;

    protected TierRelay(string name, IReadOnlyList<string> gateways, PacketStore store, PlatformOptions options, ReceiverMetrics metrics, TimeProvider time, ILogger log, Random random)
    {
        Name = name;
        _gateways = gateways;
        _store = store;
        _options = options;
        _time = time;
        Log = log;
        Metrics = metrics.Tier(name);
        _retry = new RetryPolicy(
            TimeSpan.FromMilliseconds(options.Retry.InitialDelayMs), TimeSpan.FromMilliseconds(options.Retry.MaxDelayMs), random: random);
        _loop = new WakeableLoop(PassAsync, lease: store.Lease, resume: LoadCursors);
    }

    public string Name { get; }

    public IReadOnlyList<string> Gateways => _gateways;

    public IReadOnlyDictionary<string, GatewayRelayState> States => _states;

    protected TierMetrics Metrics { get; }

    protected ILogger Log { get; }

    /// <summary>SQL with @gw, @after and @limit selecting the rows to relay, in id order.</summary>
    protected abstract string PendingSql { get; }

    /// <summary>SQL with @gw and @after counting the rows still to relay.</summary>
    protected abstract string LagSql { get; }

    /// <summary>SQL with @gw and @after selecting when the first row still to relay was stored (UTC text).</summary>
    protected abstract string OldestWaitingSql { get; }

    /// <summary>SQL with @id selecting one row (columns as in <see cref="PendingSql"/>): a dead letter to resend.</summary>
    protected abstract string RowByIdSql { get; }

    public void Start()
    {
        LoadCursors();
        _loop.Start();
    }

    // At the start, and each time this receiver takes the work lease again: another receiver may have relayed meanwhile.
    private void LoadCursors()
    {
        var cursors = _store.Read(db => db.Query(
            "SELECT gw, last_id FROM relay_cursor WHERE tier = @tier", reader => (reader.GetString(0), reader.GetInt64(1)), ("@tier", Name)))
            .ToDictionary(row => row.Item1, row => row.Item2, StringComparer.Ordinal);
        foreach (var gateway in _gateways)
        {
            _states[gateway] = new GatewayRelayState { Cursor = cursors.GetValueOrDefault(gateway) };
        }
    }

    /// <summary>New rows were stored: look again now instead of at the next poll.</summary>
    public void Wake() => _loop.Wake();

    /// <summary>Rows stored and not yet relayed by this tier, over all its gateways.</summary>
    public long Lag() =>
        _store.Read(db => _states.Sum(pair => db.ScalarLong(LagSql, ("@gw", pair.Key), ("@after", pair.Value.Cursor)) ?? 0));

    public DateTime? OldestWaitingUtc() =>
        _store.Read(db => _states
            .Select(pair => db.Scalar(OldestWaitingSql, ("@gw", pair.Key), ("@after", pair.Value.Cursor)) as string)
            .Where(stored => stored is not null)
            .Select(stored => DateTime.Parse(stored!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal))
            .Order()
            .Cast<DateTime?>()
            .FirstOrDefault());

    /// <summary>Gateways whose last attempt failed and that are waiting to retry.</summary>
    public int FailingGateways => _states.Values.Count(state => state.Attempt > 0);

    /// <summary>Stops; rows being sent go again next time.</summary>
    public Task StopAsync() => _loop.StopAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract TRow ReadRow(DbDataReader reader);

    /// <summary>Sends <paramref name="rows"/> (in order, all of one gateway) and says how far it got.</summary>
    protected abstract Task<BatchOutcome> SendAsync(string gateway, IReadOnlyList<TRow> rows, CancellationToken cancellation);

    /// <summary>A dead-lettered row as it goes again, after an operator fixed the cause (e.g. the current configuration applied).</summary>
    protected virtual TRow ForResend(string gateway, TRow row) => row;

    // One round over the gateways that are due; then at once again while rows keep going, else until the next retry.
    private async Task<TimeSpan> PassAsync(CancellationToken stop)
    {
        var now = _time.GetUtcNow();
        var due = _states.Where(pair => pair.Value.NextAttempt <= now).Select(pair => pair.Key).ToList();
        var progressed = await ResendAsync(due, stop);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = stop },
            async (gateway, cancellation) =>
            {
                if (await RelayOnceAsync(gateway, _states[gateway], cancellation))
                {
                    Interlocked.Increment(ref progressed);
                }
            });

        return progressed > 0 ? TimeSpan.Zero : UntilNextRetry();
    }

    private TimeSpan UntilNextRetry()
    {
        var wait = IdlePoll;
        var now = _time.GetUtcNow();
        foreach (var state in _states.Values.Where(state => state.Attempt > 0))
        {
            var until = state.NextAttempt - now;
            wait = until < wait ? until : wait;
        }

        return wait;
    }

    private async Task<bool> RelayOnceAsync(string gateway, GatewayRelayState state, CancellationToken stop)
    {
        var rows = _store.Read(db => db.Query(PendingSql, ReadRow, ("@gw", gateway), ("@after", state.Cursor), ("@limit", _options.BatchSize)));
        if (rows.Count == 0)
        {
            return false;
        }

        BatchOutcome outcome;
        try
        {
            outcome = await SendAsync(gateway, rows, stop);
        }
        catch (Exception failure) when (!stop.IsCancellationRequested && failure is not OutOfMemoryException)
        {
            outcome = new BatchOutcome(0, 0, [], 0, $"{failure.GetType().Name}: {failure.Message}");
        }

        if (outcome.Advanced > 0 && !await CommitProgressAsync(gateway, state, rows[outcome.Advanced - 1].Id, outcome.DeadLetters))
        {
            // Nothing recorded: the rows go again (the platform absorbs them by idempotency key).
            outcome = new BatchOutcome(0, 0, [], 0, "could not record the relay cursor");
        }

        Metrics.Delivered(outcome.Delivered);
        Metrics.DeadLettered(outcome.DeadLetters.Count);
        Metrics.Unmapped(outcome.Unmapped);
        foreach (var dead in outcome.DeadLetters)
        {
            Log.LogError("[{Tier}] {Gateway}: platform refused row {Row} for good ({Code}): {Reason}; kept in dead_letters", Name, gateway, dead.RowId, dead.Code, dead.Reason);
        }

        if (outcome.Advanced > 0)
        {
            state.LastSuccess = _time.GetUtcNow();
        }

        if (outcome.RetryReason is { } reason)
        {
            Metrics.Failure();
            state.Attempt++;
            state.Retries++;
            state.NextAttempt = _time.GetUtcNow() + _retry.NextDelay(state.Attempt);
            if (state.Attempt == 1 || state.LastError != reason)
            {
                Log.LogWarning("[{Tier}] {Gateway}: {Reason}; retrying with backoff", Name, gateway, reason);
            }

            state.LastError = reason;
            return outcome.Advanced > 0;
        }

        if (state.Attempt > 0)
        {
            Log.LogInformation("[{Tier}] {Gateway}: delivering again after {Attempts} failed attempts", Name, gateway, state.Attempt);
        }

        state.Attempt = 0;
        state.LastError = null;
        return true;
    }

    // Dead letters an operator marked for resending, of the gateways that are due. Each goes once more: taken
    // (resent), refused again (dead, with the new reason), superseded by a newer value of the same period, or not
    // answered (stays marked; the gateway backs off as for any failure).
    private async Task<int> ResendAsync(IReadOnlyCollection<string> due, CancellationToken stop)
    {
        var marked = _store.Read(db => db.Query(
            "SELECT id, gw, row_id FROM dead_letters WHERE tier = @tier AND state = 'resend' ORDER BY id",
            reader => new MarkedLetter(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)), ("@tier", Name)));
        var resent = 0;
        foreach (var letters in marked.GroupBy(letter => letter.Gateway))
        {
            if (!_states.TryGetValue(letters.Key, out var state))
            {
                await SettleAsync([.. letters.Select(letter => Settlement.Dead(letter, 0, $"{letters.Key} is no longer routed to {Name}"))]);
            }
            else if (due.Contains(letters.Key))
            {
                resent += await ResendAsync(letters.Key, state, [.. letters.Take(_options.BatchSize)], stop);
            }
        }

        return resent;
    }

    private async Task<int> ResendAsync(string gateway, GatewayRelayState state, List<MarkedLetter> letters, CancellationToken stop)
    {
        var settled = new List<Settlement>();
        var sending = new List<(MarkedLetter Letter, TRow Row)>();
        _store.Read(db =>
        {
            foreach (var letter in letters)
            {
                var row = db.Query(RowByIdSql, ReadRow, ("@id", letter.Row)).FirstOrDefault();
                if (row is null)
                {
                    settled.Add(Settlement.Dead(letter, 0, "the row is no longer stored"));
                }
                else if (SupersededBy(db, gateway, row) is { } newer)
                {
                    settled.Add(new Settlement(letter, "superseded", null, newer));
                }
                else
                {
                    sending.Add((letter, ForResend(gateway, row)));
                }
            }

            return 0;
        });

        var outcome = await SendForResendAsync(gateway, [.. sending.Select(s => s.Row)], stop);
        settled.AddRange(sending.Take(outcome.Advanced).Select(s =>
            outcome.DeadLetters.FirstOrDefault(dead => dead.RowId == s.Letter.Row) is { } refused
                ? Settlement.Dead(s.Letter, refused.Code, refused.Reason)
                : new Settlement(s.Letter, "resent", null, null)));
        await SettleAsync(settled);
        var taken = settled.Count(s => s.State == "resent");
        Metrics.Delivered(taken);
        Log.LogInformation("[{Tier}] {Gateway}: resending dead letters: {Taken} taken, {Other} refused again or superseded", Name, gateway, taken, settled.Count - taken);
        if (outcome.RetryReason is { } reason)
        {
            Metrics.Failure();
            state.Attempt++;
            state.Retries++;
            state.NextAttempt = _time.GetUtcNow() + _retry.NextDelay(state.Attempt);
            Log.LogWarning("[{Tier}] {Gateway}: {Waiting} dead letters wait to be resent: {Reason}; retrying with backoff", Name, gateway, sending.Count - outcome.Advanced, reason);
        }

        return settled.Count;
    }

    private async Task<BatchOutcome> SendForResendAsync(string gateway, IReadOnlyList<TRow> rows, CancellationToken stop)
    {
        try
        {
            return rows.Count == 0 ? new BatchOutcome(0, 0, [], 0, null) : await SendAsync(gateway, rows, stop);
        }
        catch (Exception failure) when (!stop.IsCancellationRequested && failure is not OutOfMemoryException)
        {
            return new BatchOutcome(0, 0, [], 0, $"{failure.GetType().Name}: {failure.Message}");
        }
    }

    /// <summary>Why <paramref name="row"/> must not go again because a newer row replaces it (a later correction), or null.</summary>
    protected virtual string? SupersededBy(DbConnection db, string gateway, TRow row) => null;

    // Only letters still marked: an operator may have dropped one while it was being sent.
    private Task SettleAsync(IReadOnlyList<Settlement> settled)
    {
        var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
        return settled.Count == 0 ? Task.CompletedTask : _store.WriteAsync(db =>
        {
            foreach (var settlement in settled)
            {
                if (settlement.State == "dead")
                {
                    db.Execute(
                        "UPDATE dead_letters SET state = 'dead', attempts = attempts + 1, code = @code, reason = @reason, resolved_at = NULL WHERE id = @id AND state = 'resend'",
                        ("@code", settlement.Code), ("@reason", settlement.Reason), ("@id", settlement.Letter.Id));
                }
                else
                {
                    db.Execute(
                        "UPDATE dead_letters SET state = @state, resolved_at = @at, reason = COALESCE(@reason, reason) WHERE id = @id AND state = 'resend'",
                        ("@state", settlement.State), ("@at", now), ("@reason", settlement.Reason), ("@id", settlement.Letter.Id));
                }
            }
        });
    }

    private sealed record Settlement(MarkedLetter Letter, string State, int? Code, string? Reason)
    {
        public static Settlement Dead(MarkedLetter letter, int code, string reason) => new(letter, "dead", code, reason);
    }

    private async Task<bool> CommitProgressAsync(string gateway, GatewayRelayState state, long cursor, IReadOnlyList<DeadLetter> deadLetters)
    {
        var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
        try
        {
            await _store.WriteAsync(db =>
            {
                foreach (var dead in deadLetters)
                {
                    db.Execute(
                        "INSERT INTO dead_letters(tier, gw, row_id, n, code, reason, created_at) VALUES (@tier, @gw, @row, @n, @code, @reason, @at)",
                        ("@tier", Name), ("@gw", gateway), ("@row", dead.RowId), ("@n", dead.ReadingSequence), ("@code", dead.Code), ("@reason", dead.Reason), ("@at", now));
                }

                db.Execute(
                    "INSERT INTO relay_cursor(tier, gw, last_id) VALUES (@tier, @gw, @id) ON CONFLICT(tier, gw) DO UPDATE SET last_id = @id",
                    ("@tier", Name), ("@gw", gateway), ("@id", cursor));
            });
        }
        catch (Exception failure) when (failure is DbException or ObjectDisposedException)
        {
            Log.LogError("[{Tier}] {Gateway}: could not record the relay cursor: {Reason}", Name, gateway, failure.Message);
            return false;
        }

        state.Cursor = cursor;
        return true;
    }
}
