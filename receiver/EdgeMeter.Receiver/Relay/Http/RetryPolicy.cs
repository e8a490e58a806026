namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// How long to wait before resending after a Retry outcome: exponential backoff, capped, with jitter so that
/// many records (or receivers) that failed together do not come back together. Attempts never run out: the
/// end-device spec says to resend until a success receipt arrives. Deterministic for a seeded Random.
/// </summary>
public sealed class RetryPolicy
{
    private readonly Random random;
    private readonly Lock gate = new();

    /// <param name="initialDelay">The wait before the first resend (attempt 1), before jitter.</param>
    /// <param name="maxDelay">No wait is ever longer.</param>
    /// <param name="multiplier">Growth per attempt (2 doubles the wait).</param>
    /// <param name="jitter">Fraction 0..1 the wait may be shortened by at random: the wait lies in ((1-jitter) x base, base].</param>
    /// <param name="random">The source of jitter; pass a seeded one for repeatable runs.</param>
    public RetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, double multiplier = 2.0, double jitter = 0.5, Random? random = null)
    {
        if (initialDelay <= TimeSpan.Zero || maxDelay < initialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), "need 0 < initialDelay <= maxDelay");
        }

        if (multiplier < 1 || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), "need multiplier >= 1 and jitter in 0..1");
        }

        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        Multiplier = multiplier;
        Jitter = jitter;
        this.random = random ?? Random.Shared;
    }

    public TimeSpan InitialDelay { get; }

    public TimeSpan MaxDelay { get; }

    public double Multiplier { get; }

    public double Jitter { get; }

    /// <summary>1 s doubling to at most 5 min, up to half of each wait taken off at random.</summary>
    public static RetryPolicy CreateDefault(Random? random = null) =>
        new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), random: random);

    /// <summary>The wait before resend number <paramref name="attempt"/> (1, 2, ...) without jitter.</summary>
    public TimeSpan BaseDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ticks = InitialDelay.Ticks * Math.Pow(Multiplier, attempt - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait before resend number <paramref name="attempt"/>, jittered: in ((1-Jitter) x base, base].</summary>
    public TimeSpan NextDelay(int attempt)
    {
        var baseTicks = BaseDelay(attempt).Ticks;
        double draw;
        lock (gate)
        {
            draw = random.NextDouble();
        }

        return TimeSpan.FromTicks(baseTicks - (long)(baseTicks * Jitter * draw));
    }
}
