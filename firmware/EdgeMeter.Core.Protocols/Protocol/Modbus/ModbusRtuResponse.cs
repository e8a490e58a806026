namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Response frames as a master receives them: checked against the request and unpacked. Pure codec: no I/O. (A
/// server's side, building them, is the meter simulator's: EdgeMeter.MeterSim.)
/// </summary>
public static class ModbusRtuResponse
{
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

        var count = ModbusFrameBytes.ReadWord(request, 4);
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
            destination[i] = (ushort)ModbusFrameBytes.ReadWord(response, 3 + (2 * i));
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
