using EdgeMeter.Core.Time;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// A clock that moves only when told to, or when the core sleeps on it (a Modbus inter-frame silence costs no real
/// time): benchmarks measure the CPU the gateway spends, not the line's waiting.
/// </summary>
public sealed class ManualClock(DateTime utcNow) : IClock
{
    public DateTime UtcNow { get; private set; } = utcNow;

    public long MonotonicMilliseconds { get; private set; }

    public void Sleep(int milliseconds) => Advance(milliseconds);

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
