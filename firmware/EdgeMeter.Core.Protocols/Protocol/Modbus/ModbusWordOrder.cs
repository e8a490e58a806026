namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Order of the 16-bit registers of a 32- or 64-bit value. Bytes inside a register are always high byte first.
/// </summary>
public enum ModbusWordOrder
{
    /// <summary>Most significant register first ("ABCD"): the Modbus convention.</summary>
    BigEndian,

    /// <summary>Least significant register first ("CDAB", word swap), as many meters do.</summary>
    LittleEndian,
}
