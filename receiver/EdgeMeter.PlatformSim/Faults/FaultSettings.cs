namespace EdgeMeter.PlatformSim.Faults;

/// <summary>
/// The faults the simulated platform injects into its platform endpoints (never into /_sim). A "budget" value
/// below 1 is a probability per request (drawn from the seeded generator); a whole number from 1 up is a count of
/// the next requests, used up one by one; 0 is off.
/// </summary>
public sealed record FaultSettings
{
    public static readonly FaultSettings None = new();

    /// <summary>Budget of requests answered with <see cref="Status5xxCode"/> instead of being processed.</summary>
    public double Status5xx { get; init; }

    public int Status5xxCode { get; init; } = 503;

    /// <summary>When above 0: matching requests are held this long, then the connection is dropped unanswered.</summary>
    public int TimeoutMs { get; init; }

    /// <summary>Budget of requests that time out while <see cref="TimeoutMs"/> is set; null means every request.</summary>
    public double? Timeouts { get; init; }

    /// <summary>Every request waits this long before being processed normally.</summary>
    public int SlowMs { get; init; }

    /// <summary>Every connection is dropped without an answer, as by a dead proxy in front of the platform.</summary>
    public bool Down { get; init; }

    /// <summary>The first setting that makes no sense, or null.</summary>
    public string? Problem()
    {
        if (!IsBudget(Status5xx))
        {
            return $"status5xx: {Status5xx} is neither a fraction below 1 nor a whole count";
        }

        if (Timeouts is { } timeouts && !IsBudget(timeouts))
        {
            return $"timeouts: {timeouts} is neither a fraction below 1 nor a whole count";
        }

        if (Status5xxCode is < 500 or > 599)
        {
            return $"status5xxCode: {Status5xxCode} is not 500-599";
        }

        return TimeoutMs < 0 || SlowMs < 0 ? "timeoutMs/slowMs: must not be negative" : null;
    }

    private static bool IsBudget(double value) => value >= 0 && (value < 1 || value == Math.Floor(value));
}
