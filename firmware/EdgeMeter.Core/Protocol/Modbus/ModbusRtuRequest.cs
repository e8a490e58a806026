namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Request frames (ADU: unit, PDU, CRC) as bytes: built by a master into its reusable buffer, parsed by a server.
/// Pure codec: no I/O. Builders return the frame length; they trust their (master-checked) arguments.
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
        ModbusRtuResponse.PackBits(values, 0, count, frame, 7);
        return ModbusCrc.Append(frame, 7 + byteCount);
    }

    /// <summary>Function 16: registers <c>values[0..count)</c>, each high byte first.</summary>
    public static int BuildWriteMultipleRegisters(byte[] frame, byte unit, int address, int count, ushort[] values)
    {
        WriteHeader(frame, unit, ModbusFunction.WriteMultipleRegisters, address, count);
        frame[6] = (byte)(2 * count);
        ModbusRtuResponse.PackRegisters(values, 0, count, frame, 7);
        return ModbusCrc.Append(frame, 7 + (2 * count));
    }

    /// <summary>
    /// Server side: checks and decodes a whole request frame into <paramref name="request"/>. Returns
    /// <see cref="ReadStatus.BadChecksum"/> or <see cref="ReadStatus.Malformed"/> for frames a server must ignore
    /// (no reply), <see cref="ReadStatus.Ok"/> otherwise; then <see cref="ModbusRequest.Violation"/> tells whether
    /// to answer with an exception. Never throws on arbitrary bytes.
    /// </summary>
    public static ReadStatus Parse(byte[] frame, int length, ModbusRequest request)
    {
        if (frame == null || length < 4 || length > frame.Length)
        {
            return ReadStatus.Malformed;
        }

        if (!ModbusCrc.Check(frame, length))
        {
            return ReadStatus.BadChecksum;
        }

        var unit = frame[0];
        var function = (ModbusFunction)frame[1];
        switch (function)
        {
            case ModbusFunction.ReadCoils:
            case ModbusFunction.ReadDiscreteInputs:
                return ParseRead(frame, length, request, MaxReadBits);
            case ModbusFunction.ReadHoldingRegisters:
            case ModbusFunction.ReadInputRegisters:
                return ParseRead(frame, length, request, MaxReadRegisters);
            case ModbusFunction.WriteSingleCoil:
            case ModbusFunction.WriteSingleRegister:
                return ParseWriteSingle(frame, length, request);
            case ModbusFunction.WriteMultipleCoils:
                return ParseWriteMultiple(frame, length, request, MaxWriteCoils, false);
            case ModbusFunction.WriteMultipleRegisters:
                return ParseWriteMultiple(frame, length, request, MaxWriteRegisters, true);
            default:
                request.Set(unit, function, 0, 0, 0, ModbusExceptionCode.IllegalFunction);
                return ReadStatus.Ok;
        }
    }

    private static ReadStatus ParseRead(byte[] frame, int length, ModbusRequest request, int maxCount)
    {
        if (length != 8)
        {
            return ReadStatus.Malformed;
        }

        var address = ReadWord(frame, 2);
        var count = ReadWord(frame, 4);
        request.Set(frame[0], (ModbusFunction)frame[1], address, count, 0, QuantityViolation(address, count, maxCount));
        return ReadStatus.Ok;
    }

    private static ReadStatus ParseWriteSingle(byte[] frame, int length, ModbusRequest request)
    {
        if (length != 8)
        {
            return ReadStatus.Malformed;
        }

        var function = (ModbusFunction)frame[1];
        var value = ReadWord(frame, 4);
        var violation = function == ModbusFunction.WriteSingleCoil && value != 0xFF00 && value != 0x0000
            ? ModbusExceptionCode.IllegalDataValue
            : ModbusExceptionCode.None;
        request.Set(frame[0], function, ReadWord(frame, 2), 1, value, violation);
        return ReadStatus.Ok;
    }

    private static ReadStatus ParseWriteMultiple(byte[] frame, int length, ModbusRequest request, int maxCount, bool registers)
    {
        if (length < 9 || length != 9 + frame[6])
        {
            return ReadStatus.Malformed;
        }

        var address = ReadWord(frame, 2);
        var count = ReadWord(frame, 4);
        var violation = QuantityViolation(address, count, maxCount);
        var expectedBytes = registers ? 2 * count : (count + 7) >> 3;
        if (violation == ModbusExceptionCode.None && frame[6] != expectedBytes)
        {
            violation = ModbusExceptionCode.IllegalDataValue;
        }

        request.Set(frame[0], (ModbusFunction)frame[1], address, count, 0, violation);
        request.SetPayload(frame, 7);
        return ReadStatus.Ok;
    }

    private static ModbusExceptionCode QuantityViolation(int address, int count, int maxCount)
    {
        if (count < 1 || count > maxCount)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        return address + count > 0x10000 ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.None;
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

    internal static int ReadWord(byte[] frame, int offset) => (frame[offset] << 8) | frame[offset + 1];
}
