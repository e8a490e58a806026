using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Messages;

/// <summary>One meter value as it travels in an "up" packet. Mutable so that buffers of readings can be reused.</summary>
public sealed class PacketReading
{
    // Two fields, not a FixedDecimal: on nanoFramework a struct field is an object of its own (24 bytes more a reading).
    private long _valueMantissa;
    private int _valueScale;

    public PacketReading()
    {
    }

    public PacketReading(string meterId, string pointId, System.DateTime timeUtc, FixedDecimal value, string unit, ReadingFlags flags)
    {
        MeterId = meterId;
        PointId = pointId;
        TimeUtc = timeUtc;
        Value = value;
        Unit = unit;
        Flags = flags;
    }

    /// <summary>
    /// The reading's own sequence number in the gateway's flash buffer ("n"): unique per gateway and stable when a
    /// reading is sent again in another packet after a reboot, so receivers and platforms dedupe readings on
    /// (gateway, n).
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>The meter (e.g. its DL/T 645 address), unique within the gateway.</summary>
    public string MeterId { get; set; } = "";

    /// <summary>What was read (e.g. a DL/T 645 data identifier), unique within the meter.</summary>
    public string PointId { get; set; } = "";

    /// <summary>When the meter was read (UTC, whole seconds).</summary>
    public System.DateTime TimeUtc { get; set; }

    public FixedDecimal Value
    {
        get => new FixedDecimal(_valueMantissa, _valueScale);
        set
        {
            _valueMantissa = value.Mantissa;
            _valueScale = value.Scale;
        }
    }

    public string Unit { get; set; } = "";

    public ReadingFlags Flags { get; set; }
}
