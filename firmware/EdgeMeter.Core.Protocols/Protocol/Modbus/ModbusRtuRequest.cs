namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Request frames (ADU: unit, PDU, CRC) as bytes, built by a master into its reusable buffer. Pure codec: no I/O.
/// Builders return the frame length; they trust their (master-checked) arguments.
/// </summary>
public static class ModbusRtuRequest
{
    public const int MaxReadBits = 2000;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteCoils = 1968;
    public const int MaxWriteRegisters = 123;

    /// <summary>Functions 01-04: read <paramref name="count"/> coils, inputs or registers from <paramref name="address"/>.</summary>
    public static int BuildRead(byte[] frame, byte unit, ModbusFunction function, int address, int count)
    {
        return BuildFixed(frame, unit, function, address, count);
    }

    /// <summary>Function 05.</summary>
    public static int BuildWriteSingleCoil(byte[] frame, byte unit, int address, bool value)
    {
        return BuildFixed(frame, unit, ModbusFunction.WriteSingleCoil, address, value ? 0xFF00 : 0x0000);
    }

    /// <summary>Function 06.</summary>
    public static int BuildWriteSingleRegister(byte[] frame, byte unit, int address, ushort value)
    {
        return BuildFixed(frame, unit, ModbusFunction.WriteSingleRegister, address, value);
    }

    /// <summary>Function 15: coils <c>values[0..count)</c>, packed LSB first.</summary>
    public static int BuildWriteMultipleCoils(byte[] frame, byte unit, int address, int count, bool[] values)
    {
        var byteCount = (count + 7) >> 3;
        WriteHeader(frame, unit, ModbusFunction.WriteMultipleCoils, address, count);
        frame[6] = (byte)byteCount;
        ModbusFrameBytes.PackBits(values, 0, count, frame, 7);
        return ModbusCrc.Append(frame, 7 + byteCount);
    }

    /// <summary>Function 16: registers <c>values[0..count)</c>, each high byte first.</summary>
    public static int BuildWriteMultipleRegisters(byte[] frame, byte unit, int address, int count, ushort[] values)
    {
        WriteHeader(frame, unit, ModbusFunction.WriteMultipleRegisters, address, count);
        frame[6] = (byte)(2 * count);
        ModbusFrameBytes.PackRegisters(values, 0, count, frame, 7);
        return ModbusCrc.Append(frame, 7 + (2 * count));
    }

    private static int BuildFixed(byte[] frame, byte unit, ModbusFunction function, int address, int word)
    {
        WriteHeader(frame, unit, function, address, word);
        return ModbusCrc.Append(frame, 6);
    }

    private static void WriteHeader(byte[] frame, byte unit, ModbusFunction function, int address, int word)
    {
        frame[0] = unit;
        frame[1] = (byte)function;
        frame[2] = (byte)(address >> 8);
        frame[3] = (byte)address;
        frame[4] = (byte)(word >> 8);
        frame[5] = (byte)word;
    }
}
