namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>How a point's value is laid out in 1, 2 or 4 consecutive 16-bit registers.</summary>
public enum ModbusDataType
{
    Int16,
    UInt16,
    Int32,
    UInt32,

    /// <summary>IEEE 754 single precision, as some meters send; converted with a fixed number of decimals.</summary>
    Float32,
    Int64,
    UInt64,

    /// <summary>IEEE 754 double precision; converted with a fixed number of decimals.</summary>
    Float64,
}
