namespace EdgeMeter.Core.Time;

/// <summary>Sets the wall clock: the board's RTC; a PC keeps the operating system's clock and refuses.</summary>
public interface IClockSetter
{
    /// <summary>Null when the clock was set, else why not.</summary>
    string? SetClock(System.DateTime utc);
}
