using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Tests.Fakes;

/// <summary>A clock that only moves when told to: Sleep and link timeouts advance it. Records sleeps without allocating.</summary>
public sealed class FakeClockModbus : IClock
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public long MonotonicMilliseconds { get; set; } = 1_000;

    public DateTime UtcNow => Epoch.AddMilliseconds(MonotonicMilliseconds);

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

    public void Advance(long milliseconds) => MonotonicMilliseconds += milliseconds;
}
