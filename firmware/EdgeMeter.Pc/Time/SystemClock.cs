using System.Diagnostics;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Pc.Time;

/// <summary>The PC's clocks: UTC wall time and a monotonic stopwatch.</summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();

    private static readonly long Origin = Stopwatch.GetTimestamp();

    public DateTime UtcNow => DateTime.UtcNow;

    public long MonotonicMilliseconds => (long)Stopwatch.GetElapsedTime(Origin).TotalMilliseconds;

    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
