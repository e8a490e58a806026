using EdgeMeter.Core.Time;

namespace EdgeMeter.TestSupport;

/// <summary>A wall clock setter that remembers what it was set to.</summary>
public sealed class RecordingClockSetter : IClockSetter
{
    public DateTime? SetTo { get; private set; }

    public string? SetClock(DateTime utc)
    {
        SetTo = utc;
        return null;
    }
}
