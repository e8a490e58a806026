using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Tests.Fakes;

/// <summary>A clock that moves only when told to (or when something sleeps or waits on it).</summary>
public sealed class FakeClock : IClock
{
    public FakeClock()
        : this(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc))
    {
    }

    public FakeClock(DateTime utcNow)
    {
        UtcNow = utcNow;
    }

    public DateTime UtcNow { get; set; }

    public long MonotonicMilliseconds { get; private set; }

    public void Sleep(int milliseconds) => Advance(milliseconds);

    public void Advance(long milliseconds)
    {
        MonotonicMilliseconds += milliseconds;
        UtcNow = UtcNow.AddMilliseconds(milliseconds);
    }
}
