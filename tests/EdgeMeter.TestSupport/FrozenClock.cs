using System.Diagnostics;
using EdgeMeter.Core.Time;

namespace EdgeMeter.TestSupport;

/// <summary>A wall clock that stands still (so simulated values can be compared exactly) over a real monotonic clock.</summary>
public sealed class FrozenClock(DateTime utcNow) : IClock
{
    public static readonly DateTime DefaultTime = new(2026, 11, 26, 8, 30, 15, DateTimeKind.Utc);

    private readonly long _origin = Stopwatch.GetTimestamp();

    public FrozenClock()
        : this(DefaultTime)
    {
    }

    public DateTime UtcNow { get; set; } = utcNow;

    public long MonotonicMilliseconds => (long)Stopwatch.GetElapsedTime(_origin).TotalMilliseconds;

    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
