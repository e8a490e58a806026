using System.Globalization;
using EdgeMeter.Common.Cli;

namespace EdgeMeter.Common.Time;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than the real one, shared by separate processes: each
/// computes the same simulated instant from the same real epoch. The demo sets it for the simulated meters, the
/// gateways and the receiver through <see cref="Variable"/> to live through days in minutes.
/// </summary>
public sealed record SimulatedTime(DateTime StartUtc, DateTime EpochUtc, int Speed)
{
    /// <summary>The environment variable, formatted as <c>start@epoch*speed</c> (UTC, ISO 8601).</summary>
    public const string Variable = "EDGEMETER_SIMULATED_CLOCK";

    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// The simulated instant at the real instant <paramref name="realUtc"/>; it stands at <see cref="StartUtc"/> until
    /// the epoch, so processes started before it all begin at the same simulated moment.
    /// </summary>
    public DateTime At(DateTime realUtc) => realUtc <= EpochUtc ? StartUtc : StartUtc + ((realUtc - EpochUtc) * Speed);

    public DateTime UtcNow => At(DateTime.UtcNow);

    /// <summary>How long a simulated span takes in real time.</summary>
    public TimeSpan RealDuration(TimeSpan simulated) => simulated / Speed;

    public override string ToString() =>
        $"{StartUtc.ToString(Format, CultureInfo.InvariantCulture)}@{EpochUtc.ToString(Format, CultureInfo.InvariantCulture)}*{Speed.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The clock <see cref="Variable"/> names, or null when it is not set (the real clock then).</summary>
    public static SimulatedTime? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text ? Parse(text) : null;

    public static SimulatedTime Parse(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var times = text.LastIndexOf('*');
        if (at > 0 && times > at &&
            TryTime(text[..at], out var start) && TryTime(text[(at + 1)..times], out var epoch) &&
            int.TryParse(text[(times + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var speed) && speed is >= 1 and <= 100_000)
        {
            return new SimulatedTime(start, epoch, speed);
        }

        throw new CliException($"{Variable}: '{text}' is not start@epoch*speed (UTC times like 2026-03-01T00:00:00.000Z, speed 1-100000)", ExitCodes.Usage);
    }

    /// <summary>This clock as a .NET <see cref="TimeProvider"/>: its timers and delays run <see cref="Speed"/> times faster too.</summary>
    public TimeProvider AsTimeProvider() => new Provider(this);

    private static bool TryTime(string text, out DateTime utc) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

    private TimeSpan Real(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : simulated / Speed;

    private sealed class Provider(SimulatedTime time) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(time.UtcNow, TimeSpan.Zero);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new ScaledTimer(System.CreateTimer(callback, state, time.Real(dueTime), time.Real(period)), time);
    }

    private sealed class ScaledTimer(ITimer timer, SimulatedTime time) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(time.Real(dueTime), time.Real(period));

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
