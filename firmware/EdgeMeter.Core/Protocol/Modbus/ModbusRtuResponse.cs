namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Response frames as bytes: built by a server (normal and exception replies), checked against the request and
/// unpacked by a master. Pure codec: no I/O. Builders return the frame length.
/// </summary>
public static class ModbusRtuResponse
{
    /// <summary>Reply to 03/04: <c>values[offset..offset+count)</c>.</summary>
    public static int BuildReadRegisters(byte[] frame, byte unit, ModbusFunction function, ushort[] values, int offset, int count)
    {
        frame[0] = unit;
        frame[1] = (byte)function;
        frame[2] = (byte)(2 * count);
        PackRegisters(values, offset, count, frame, 3);
        return ModbusCrc.Append(frame, 3 + (2 * count));
    }

    /// <summary>Reply to 01/02: <c>values[offset..offset+count)</c>, packed LSB first.</summary>
    public static int BuildReadBits(byte[] frame, byte unit, ModbusFunction function, bool[] values, int offset, int count)
    {
        var byteCount = (count + 7) >> 3;
        frame[0] = unit;
        frame[1] = (byte)function;
        frame[2] = (byte)byteCount;
        PackBits(values, offset, count, frame, 3);
        return ModbusCrc.Append(frame, 3 + byteCount);
    }

    /// <summary>Reply to 05/06/15/16: unit, function, address and value (single) or quantity (multiple).</summary>
    public static int BuildWriteEcho(byte[] frame, ModbusRequest request)
    {
        var word = request.Function == ModbusFunction.WriteMultipleCoils
            || request.Function == ModbusFunction.WriteMultipleRegisters ? request.Count : request.Value;
        frame[0] = request.Unit;
        frame[1] = (byte)request.Function;
        frame[2] = (byte)(request.Address >> 8);
        frame[3] = (byte)request.Address;
        frame[4] = (byte)(word >> 8);
        frame[5] = (byte)word;
        return ModbusCrc.Append(frame, 6);
    }

    /// <summary>Exception reply: unit, function | 0x80, code.</summary>
    public static int BuildException(byte[] frame, byte unit, ModbusFunction function, ModbusExceptionCode code)
    {
        frame[0] = unit;
        frame[1] = (byte)((int)function | 0x80);
        frame[2] = (byte)code;
        return ModbusCrc.Append(frame, 3);
    }

    /// <summary>
    /// Master side: is <c>response[0..length)</c> a valid answer to the request frame <paramref name="request"/>?
    /// Checks CRC, unit, function, byte count against the requested quantity, and the echo of a write.
    /// An exception reply gives <see cref="ReadStatus.ErrorReply"/> with its code. Never throws on arbitrary bytes.
    /// </summary>
    public static ReadStatus Check(byte[] request, byte[] response, int length, out ModbusExceptionCode exception)
    {
        exception = ModbusExceptionCode.None;
        if (response == null || length < 5 || length > response.Length)
        {
            return ReadStatus.Malformed;
        }

        if (!ModbusCrc.Check(response, length))
        {
            return ReadStatus.BadChecksum;
        }

        var function = request[1];
        if (response[0] != request[0])
        {
            return ReadStatus.Malformed;
        }

        if (response[1] == (function | 0x80) && length == 5)
        {
            exception = (ModbusExceptionCode)response[2];
            return ReadStatus.ErrorReply;
        }

        if (response[1] != function)
        {
            return ReadStatus.Malformed;
        }

        var count = ModbusRtuRequest.ReadWord(request, 4);
        switch ((ModbusFunction)function)
        {
            case ModbusFunction.ReadCoils:
            case ModbusFunction.ReadDiscreteInputs:
                return HasByteCount(response, length, (count + 7) >> 3);
            case ModbusFunction.ReadHoldingRegisters:
            case ModbusFunction.ReadInputRegisters:
                return HasByteCount(response, length, 2 * count);
            default:
                return IsEcho(request, response, length);
        }
    }

    /// <summary>Copies the registers of a checked 03/04 reply into <c>destination[0..count)</c>.</summary>
    public static void CopyRegisters(byte[] response, ushort[] destination, int count)
    {
        for (var i = 0; i < count; i++)
        {
            destination[i] = (ushort)ModbusRtuRequest.ReadWord(response, 3 + (2 * i));
        }
    }

    /// <summary>Copies the bits of a checked 01/02 reply into <c>destination[0..count)</c>.</summary>
    public static void CopyBits(byte[] response, bool[] destination, int count)
    {
        for (var i = 0; i < count; i++)
        {
            destination[i] = (response[3 + (i >> 3)] & (1 << (i & 7))) != 0;
        }
    }

    internal static void PackRegisters(ushort[] values, int offset, int count, byte[] frame, int at)
    {
        for (var i = 0; i < count; i++)
        {
            var value = values[offset + i];
            frame[at++] = (byte)(value >> 8);
            frame[at++] = (byte)value;
        }
    }

    internal static void PackBits(bool[] values, int offset, int count, byte[] frame, int at)
    {
        System.Array.Clear(frame, at, (count + 7) >> 3);
        for (var i = 0; i < count; i++)
        {
            if (values[offset + i])
            {
                frame[at + (i >> 3)] |= (byte)(1 << (i & 7));
            }
        }
    }

    private static ReadStatus HasByteCount(byte[] response, int length, int byteCount)
    {
        return response[2] == byteCount && length == 5 + byteCount ? ReadStatus.Ok : ReadStatus.Malformed;
    }

    private static ReadStatus IsEcho(byte[] request, byte[] response, int length)
    {
        if (length != 8)
        {
            return ReadStatus.Malformed;
        }

        for (var i = 2; i < 6; i++)
        {
            if (response[i] != request[i])
            {
                return ReadStatus.Malformed;
            }
        }

        return ReadStatus.Ok;
    }
}
