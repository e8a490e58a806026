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
}
