using EdgeMeter.Core.Time;

namespace EdgeMeter.TestSupport;

/// <summary>
/// A clock that moves only when told to, or when the code under test sleeps on it (a Modbus inter-frame silence or
/// a retry delay costs no real time). Counts the sleeps without allocating.
/// </summary>
public sealed class ManualClock : IClock
{
    public static readonly DateTime DefaultStart = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public ManualClock()
        : this(DefaultStart)
    {
    }

    public ManualClock(DateTime utcNow, long monotonicMilliseconds = 0)
    {
        UtcNow = utcNow;
        MonotonicMilliseconds = monotonicMilliseconds;
    }

    public DateTime UtcNow { get; set; }

    public long MonotonicMilliseconds { get; private set; }

    public int SleepCount { get; private set; }

    public int LastSleepMilliseconds { get; private set; }

    public long TotalSleptMilliseconds { get; private set; }

    public void Sleep(int milliseconds)
    {
        SleepCount++;
        LastSleepMilliseconds = milliseconds;
        TotalSleptMilliseconds += milliseconds;
        Advance(milliseconds);
    }

    /// <summary>Moves both the wall clock and the monotonic clock forward.</summary>
    public void Advance(long milliseconds)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        MonotonicMilliseconds += milliseconds;
        UtcNow = UtcNow.AddTicks(milliseconds * TimeSpan.TicksPerMillisecond);
    }
}
