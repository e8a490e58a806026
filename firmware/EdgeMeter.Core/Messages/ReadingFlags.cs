namespace EdgeMeter.Core.Messages;

/// <summary>Quality flags of a reading ("q" in the payload, written in this order).</summary>
[System.Flags]
public enum ReadingFlags
{
    None = 0,

    /// <summary>"time-unsync": the gateway clock was not synchronized, so the reading time is not trustworthy.</summary>
    TimeUnsynchronized = 1,

    /// <summary>"meter-error": the meter reported an error or alarm with this value.</summary>
    MeterError = 2,

    /// <summary>"estimated": the value is estimated (filled in), not measured.</summary>
    Estimated = 4,

    /// <summary>"rollover": the meter register wrapped around or was reset since the previous reading.</summary>
    Rollover = 8,

    /// <summary>"frozen": the meter's daily frozen register at the freeze time, read back after an outage.</summary>
    Frozen = 16,
}
