namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>Outcome of converting between registers and a <see cref="Values.FixedDecimal"/>.</summary>
public enum ModbusValueStatus
{
    Ok = 0,

    /// <summary>The meter sent a floating-point NaN: it has no value for the point.</summary>
    NotANumber,

    /// <summary>The meter sent a floating-point infinity.</summary>
    Infinite,

    /// <summary>The value does not fit: a 64-bit mantissa when decoding, or the register type when encoding.</summary>
    OutOfRange,
}
