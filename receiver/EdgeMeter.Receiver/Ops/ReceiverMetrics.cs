using System.Collections.Concurrent;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// The receiver's counters (thread-safe, monotonic). Gauges that are read from elsewhere at scrape time (store
/// lag, relay lag, connected gateways) are added by <see cref="MetricsEndpoint"/>.
/// </summary>
public sealed class ReceiverMetrics
{
    private readonly ConcurrentDictionary<string, Counter> _rejectedByError = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TierMetrics> _tiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _quarantinedByGateway = new(StringComparer.Ordinal);
    private long _received;
    private long _verified;
    private long _duplicates;
    private long _replayAlerts;
    private long _readingsStored;
    private long _readingsDuplicate;
    private long _aclDenied;
    private long _connectionsRefused;
    private long _floodDisconnects;
    private long _storeFailures;
    private long _commandsQueued;
    private long _commandsSent;
    private long _commandsExpired;
    private long _replies;

    public void Received() => Interlocked.Increment(ref _received);

    public void Verified() => Interlocked.Increment(ref _verified);

    /// <summary>A message quarantined; <paramref name="error"/> is the PacketError name or the receiver's own reason.</summary>
    public void Rejected(string error) => _rejectedByError.GetOrAdd(error, _ => new Counter()).Increment();

    /// <summary>Most gateway labels on the per-gateway quarantine counter: the topic's id is not verified, so it is capped.</summary>
    public const int MaxGatewayLabels = 1000;

    /// <summary>A message quarantined on a gateway's topic (the id as the topic says; "other" beyond the cap).</summary>
    public void Quarantined(string? gateway)
    {
        var label = string.IsNullOrEmpty(gateway) ? "unknown" : gateway;
        if (!_quarantinedByGateway.ContainsKey(label) && _quarantinedByGateway.Count >= MaxGatewayLabels)
        {
            label = "other";
        }

        _quarantinedByGateway.GetOrAdd(label, _ => new Counter()).Increment();
    }

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>A logged-in client disconnected for flooding (FloodGuard).</summary>
    public void FloodDisconnect() => Interlocked.Increment(ref _floodDisconnects);

    public void ReplayAlert() => Interlocked.Increment(ref _replayAlerts);

    public void Readings(int stored, int duplicates)
    {
        Interlocked.Add(ref _readingsStored, stored);
        Interlocked.Add(ref _readingsDuplicate, duplicates);
    }

    public void AclDenied() => Interlocked.Increment(ref _aclDenied);

    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);

    public void StoreFailure() => Interlocked.Increment(ref _storeFailures);

    public void CommandQueued() => Interlocked.Increment(ref _commandsQueued);

    public void CommandSent() => Interlocked.Increment(ref _commandsSent);

    public void CommandsExpired(int count) => Interlocked.Add(ref _commandsExpired, count);

    public void Reply() => Interlocked.Increment(ref _replies);

    public TierMetrics Tier(string name) => _tiers.GetOrAdd(name, tier => new TierMetrics(tier));

    public MetricsSnapshot Snapshot() => new()
    {
        PacketsReceived = Interlocked.Read(ref _received),
        PacketsVerified = Interlocked.Read(ref _verified),
        PacketsRejected = _rejectedByError.Values.Sum(counter => counter.Value),
        RejectedByError = _rejectedByError.ToDictionary(pair => pair.Key, pair => pair.Value.Value, StringComparer.Ordinal),
        FloodDisconnects = Interlocked.Read(ref _floodDisconnects),
        QuarantinedByGateway = _quarantinedByGateway.ToDictionary(pair => pair.Key, pair => pair.Value.Value, StringComparer.Ordinal),
        PacketsDuplicate = Interlocked.Read(ref _duplicates),
        ReplayAlerts = Interlocked.Read(ref _replayAlerts),
        ReadingsStored = Interlocked.Read(ref _readingsStored),
        ReadingsDuplicate = Interlocked.Read(ref _readingsDuplicate),
        AclDenied = Interlocked.Read(ref _aclDenied),
        ConnectionsRefused = Interlocked.Read(ref _connectionsRefused),
        StoreFailures = Interlocked.Read(ref _storeFailures),
        CommandsQueued = Interlocked.Read(ref _commandsQueued),
        CommandsSent = Interlocked.Read(ref _commandsSent),
        CommandsExpired = Interlocked.Read(ref _commandsExpired),
        Replies = Interlocked.Read(ref _replies),
        Tiers = _tiers.ToDictionary(pair => pair.Key, pair => pair.Value.Snapshot(), StringComparer.Ordinal),
    };

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}

/// <summary>One relay tier's counters.</summary>
public sealed class TierMetrics(string name)
{
    private long _delivered;
    private long _failures;
    private long _deadLettered;
    private long _unmapped;

    public string Name { get; } = name;

    /// <summary>Rows (readings or packets) the platform acknowledged.</summary>
    public void Delivered(int count) => Interlocked.Add(ref _delivered, count);

    /// <summary>Attempts that ended in Retry (platform down, 5xx, timeout, broker unreachable).</summary>
    public void Failure() => Interlocked.Increment(ref _failures);

    /// <summary>Rows the platform refused for good (kept in dead_letters with the reason).</summary>
    public void DeadLettered(int count) => Interlocked.Add(ref _deadLettered, count);

    /// <summary>Readings of points without a dataCode mapping (stored, not uploaded over HTTP).</summary>
    public void Unmapped(int count) => Interlocked.Add(ref _unmapped, count);

    public TierSnapshot Snapshot() =>
        new(Interlocked.Read(ref _delivered), Interlocked.Read(ref _failures), Interlocked.Read(ref _deadLettered), Interlocked.Read(ref _unmapped));
}

public sealed record TierSnapshot(long Delivered, long Failures, long DeadLettered, long Unmapped);

/// <summary>The counters at one moment (for the in-process handle and tests).</summary>
public sealed record MetricsSnapshot
{
    public long PacketsReceived { get; init; }

    public long PacketsVerified { get; init; }

    public long PacketsRejected { get; init; }

    public IReadOnlyDictionary<string, long> RejectedByError { get; init; } = new Dictionary<string, long>();

    public IReadOnlyDictionary<string, long> QuarantinedByGateway { get; init; } = new Dictionary<string, long>();

    public long FloodDisconnects { get; init; }

    public long PacketsDuplicate { get; init; }

    public long ReplayAlerts { get; init; }

    public long ReadingsStored { get; init; }

    public long ReadingsDuplicate { get; init; }

    public long AclDenied { get; init; }

    public long ConnectionsRefused { get; init; }

    public long StoreFailures { get; init; }

    public long CommandsQueued { get; init; }

    public long CommandsSent { get; init; }

    public long CommandsExpired { get; init; }

    public long Replies { get; init; }

    public IReadOnlyDictionary<string, TierSnapshot> Tiers { get; init; } = new Dictionary<string, TierSnapshot>();
}
