using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Buffer;

/// <summary>
/// One stored meter reading: which series (meter and point), when, the exact value and its quality. A mutable
/// struct so that callers fill one variable (or an array element) again and again without allocating.
/// </summary>
public struct Reading
{
    // Two fields, not a FixedDecimal: on nanoFramework a struct field is an object of its own (24 bytes more a reading).
    private long _valueMantissa;
    private int _valueScale;

    /// <summary>The largest meter or point index a reading can carry.</summary>
    public const int MaxIndex = 0xFFFF;

    /// <summary>Assigned by <see cref="ReadingBuffer.Append"/>; filled in by <see cref="ReadingBuffer.Read"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>Index of the meter in the gateway configuration, 0..65535.</summary>
    public int Meter { get; set; }

    /// <summary>Index of the point (register) within the meter's point list, 0..65535.</summary>
    public int Point { get; set; }

    /// <summary>UTC time of the reading; stored to the millisecond (finer ticks are dropped).</summary>
    public System.DateTime Time { get; set; }

    public FixedDecimal Value
    {
        get => new FixedDecimal(_valueMantissa, _valueScale);
        set
        {
            _valueMantissa = value.Mantissa;
            _valueScale = value.Scale;
        }
    }

    public ReadingQuality Quality { get; set; }

    public Reading(int meter, int point, System.DateTime time, FixedDecimal value, ReadingQuality quality)
    {
        Sequence = 0;
        Meter = meter;
        Point = point;
        Time = time;
        Value = value;
        Quality = quality;
    }
}
