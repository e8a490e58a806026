namespace EdgeMeter.PlatformSim.Faults;

/// <summary>
/// Holds the current <see cref="FaultSettings"/> and decides, request by request, which fault (if any) applies.
/// Fractions draw from one seeded generator, so the same seed and the same request order give the same faults.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly Action expireTokens;
    private FaultSettings settings = FaultSettings.None;
    private Random random;

    internal FaultInjector(int seed, Action expireTokens)
    {
        random = new Random(seed);
        this.expireTokens = expireTokens;
    }

    /// <summary>The settings in force; counts show what is left of them.</summary>
    public FaultSettings Current
    {
        get
        {
            lock (gate)
            {
                return settings;
            }
        }
    }

    /// <summary>Replaces all settings. Throws <see cref="ArgumentException"/> for a nonsensical one.</summary>
    public void Set(FaultSettings next)
    {
        if (next.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(next));
        }

        lock (gate)
        {
            settings = next;
        }
    }

    public void Clear() => Set(FaultSettings.None);

    /// <summary>Restarts the generator behind fractional faults.</summary>
    public void Reseed(int seed)
    {
        lock (gate)
        {
            random = new Random(seed);
        }
    }

    /// <summary>Every token issued so far expires now: the next call with one gets 401.</summary>
    public void ExpireTokens() => expireTokens();

    internal FaultDecision Next()
    {
        lock (gate)
        {
            var slowMs = settings.SlowMs;
            if (settings.Down)
            {
                return new FaultDecision(FaultKind.Down, slowMs, 0);
            }

            if (settings.TimeoutMs > 0 && TakeTimeout())
            {
                return new FaultDecision(FaultKind.Timeout, slowMs, settings.TimeoutMs);
            }

            if (TakeStatus5xx())
            {
                return new FaultDecision(FaultKind.Status5xx, slowMs, settings.Status5xxCode);
            }

            return new FaultDecision(FaultKind.None, slowMs, 0);
        }
    }

    private bool TakeTimeout()
    {
        if (settings.Timeouts is not { } budget)
        {
            return true;
        }

        var taken = Take(budget, out var left);
        settings = settings with { Timeouts = left };
        return taken;
    }

    private bool TakeStatus5xx()
    {
        var taken = Take(settings.Status5xx, out var left);
        settings = settings with { Status5xx = left };
        return taken;
    }

    /// <summary>Spends one unit of a budget: a count goes down by one, a fraction draws from the generator.</summary>
    private bool Take(double budget, out double left)
    {
        left = budget;
        if (budget >= 1)
        {
            left = budget - 1;
            return true;
        }

        return budget > 0 && random.NextDouble() < budget;
    }
}

internal enum FaultKind
{
    None,
    Down,
    Timeout,
    Status5xx,
}

/// <summary>What to do to one request: delay it by SlowMs, then apply Kind (Argument = timeout ms or 5xx status).</summary>
internal readonly record struct FaultDecision(FaultKind Kind, int SlowMs, int Argument);
