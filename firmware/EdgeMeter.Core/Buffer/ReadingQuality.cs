namespace EdgeMeter.Core.Buffer;

/// <summary>Quality flags stored with each reading (one byte on flash).</summary>
[System.Flags]
public enum ReadingQuality : byte
{
    Good = 0,

    /// <summary>The gateway clock had not been synchronized when the reading was taken.</summary>
    TimeUnsynced = 1,

    /// <summary>The meter reported an error or an implausible value.</summary>
    MeterError = 2,

    /// <summary>The value was estimated (interpolated or carried over), not read.</summary>
    Estimated = 4,

    /// <summary>
    /// The meter's own daily frozen register, read back after an outage (DL/T 645 0506xxxx): the value the meter
    /// froze at the time given, not a poll. 16, like <see cref="Messages.ReadingFlags.Frozen"/>, so the two stay one cast apart.
    /// </summary>
    Frozen = 16,
}
