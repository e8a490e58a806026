namespace EdgeMeter.PlatformSim;

/// <summary>Counters since start (GET /_sim/stats). Records count once each, whether sent alone or in a batch.</summary>
public sealed record SimStats
{
    public required string Platform { get; init; }

    /// <summary>HTTP requests to the platform endpoints (not /_sim).</summary>
    public long Requests { get; init; }

    public long Accepted { get; init; }

    /// <summary>Records that repeated an already accepted one and were absorbed.</summary>
    public long Duplicates { get; init; }

    /// <summary>Records refused: bad field, wrong enterprise, stale version, or a key reused with different content.</summary>
    public long Rejected { get; init; }

    public long TokensIssued { get; init; }

    /// <summary>Calls answered 401 (no, unknown or expired token).</summary>
    public long Unauthorized { get; init; }

    /// <summary>Requests that met an injected fault (5xx, timeout or down).</summary>
    public long FaultsInjected { get; init; }
}

/// <summary>The live, thread-safe counters behind <see cref="SimStats"/>.</summary>
internal sealed class SimCounters
{
    private long requests;
    private long accepted;
    private long duplicates;
    private long rejected;
    private long tokensIssued;
    private long unauthorized;
    private long faultsInjected;

    public void Request() => Interlocked.Increment(ref requests);

    public void Accepted() => Interlocked.Increment(ref accepted);

    public void Duplicate() => Interlocked.Increment(ref duplicates);

    public void Rejected() => Interlocked.Increment(ref rejected);

    public void TokenIssued() => Interlocked.Increment(ref tokensIssued);

    public void Unauthorized() => Interlocked.Increment(ref unauthorized);

    public void FaultInjected() => Interlocked.Increment(ref faultsInjected);

    public SimStats Snapshot(string platform) => new()
    {
        Platform = platform,
        Requests = Interlocked.Read(ref requests),
        Accepted = Interlocked.Read(ref accepted),
        Duplicates = Interlocked.Read(ref duplicates),
        Rejected = Interlocked.Read(ref rejected),
        TokensIssued = Interlocked.Read(ref tokensIssued),
        Unauthorized = Interlocked.Read(ref unauthorized),
        FaultsInjected = Interlocked.Read(ref faultsInjected),
    };
}
