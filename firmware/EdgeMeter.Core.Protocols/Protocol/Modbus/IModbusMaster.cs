namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// A Modbus client, whatever carries its requests: RTU frames on an RS-485 bus (<see cref="ModbusRtuMaster"/>) or
/// MBAP frames on a TCP connection (<see cref="ModbusTcpMaster"/>). Meter failures come back as a
/// <see cref="ReadStatus"/>; after <see cref="ReadStatus.ErrorReply"/>, <see cref="LastException"/> holds the server's
/// exception code. Arguments out of range throw. Not thread-safe: one master per link, used by one poller.
/// </summary>
public interface IModbusMaster
{
    /// <summary>How long one call waits for the whole reply.</summary>
    int ResponseTimeoutMilliseconds { get; set; }

    /// <summary>The exception code of the last call's exception reply; <see cref="ModbusExceptionCode.None"/> when
    /// the last call got none.</summary>
    ModbusExceptionCode LastException { get; }

    /// <summary>Function 01 into <c>destination[0..count)</c>, count 1..2000.</summary>
    ReadStatus ReadCoils(byte unit, int address, int count, bool[] destination);

    /// <summary>Function 02 into <c>destination[0..count)</c>, count 1..2000.</summary>
    ReadStatus ReadDiscreteInputs(byte unit, int address, int count, bool[] destination);

    /// <summary>Function 03 into <c>destination[0..count)</c>, count 1..125.</summary>
    ReadStatus ReadHoldingRegisters(byte unit, int address, int count, ushort[] destination);

    /// <summary>Function 04 into <c>destination[0..count)</c>, count 1..125.</summary>
    ReadStatus ReadInputRegisters(byte unit, int address, int count, ushort[] destination);

    /// <summary>Function 05.</summary>
    ReadStatus WriteSingleCoil(byte unit, int address, bool value);

    /// <summary>Function 06.</summary>
    ReadStatus WriteSingleRegister(byte unit, int address, ushort value);

    /// <summary>Function 15 from <c>values[0..count)</c>, count 1..1968.</summary>
    ReadStatus WriteMultipleCoils(byte unit, int address, int count, bool[] values);

    /// <summary>Function 16 from <c>values[0..count)</c>, count 1..123.</summary>
    ReadStatus WriteMultipleRegisters(byte unit, int address, int count, ushort[] values);
}
