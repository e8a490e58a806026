using EdgeMeter.Core.Time;

namespace EdgeMeter.Firmware.Tests.Support;

/// <summary>A clock that stands at 2026-11-01 00:00 UTC and never sleeps.</summary>
internal sealed class StillClock : IClock
{
    public System.DateTime UtcNow => new System.DateTime(2026, 11, 1, 0, 0, 0);

    public long MonotonicMilliseconds => 0;

    public void Sleep(int milliseconds)
    {
    }
}
