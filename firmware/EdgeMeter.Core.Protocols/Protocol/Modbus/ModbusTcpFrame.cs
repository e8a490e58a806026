namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// The MBAP header of Modbus TCP: transaction id, protocol id (0), length of what follows (unit id and PDU), unit
/// id; then the PDU, without a CRC. Converts between an ADU and the RTU frame with the same unit and PDU, so that one
/// codec checks both. Pure codec: no I/O; never throws on arbitrary bytes.
/// </summary>
public static class ModbusTcpFrame
{
    /// <summary>The largest PDU (the RTU frame's 256 bytes less unit and CRC).</summary>
    public const int MaxPduLength = 253;

    /// <summary>Writes the ADU of the RTU frame <c>rtu[0..rtuLength)</c> (its CRC left out); returns its length.</summary>
    public static int FromRtu(byte[] rtu, int rtuLength, int transaction, byte[] adu)
    {
        return FromRtu(rtu, rtuLength, transaction, adu, 0);
    }

    /// <summary>As <see cref="FromRtu(byte[], int, int, byte[])"/>, at <paramref name="offset"/> in <paramref name="adu"/>.</summary>
    public static int FromRtu(byte[] rtu, int rtuLength, int transaction, byte[] adu, int offset)
    {
        var unitAndPdu = rtuLength - 2;
        adu[offset] = (byte)(transaction >> 8);
        adu[offset + 1] = (byte)transaction;
        adu[offset + 2] = 0;
        adu[offset + 3] = 0;
        adu[offset + 4] = (byte)(unitAndPdu >> 8);
        adu[offset + 5] = (byte)unitAndPdu;
        System.Array.Copy(rtu, 0, adu, offset + 6, unitAndPdu);
        return 6 + unitAndPdu;
    }

    public static int Transaction(byte[] header) => ModbusFrameBytes.ReadWord(header, 0);

    /// <summary>The PDU length a header announces; -1 when the header is not Modbus (protocol id not 0) or the length
    /// is impossible (a PDU has a function code, at most 253 bytes).</summary>
    public static int PduLength(byte[] header)
    {
        if (header[2] != 0 || header[3] != 0)
        {
            return -1;
        }

        var pdu = ModbusFrameBytes.ReadWord(header, 4) - 1;
        return pdu < 1 || pdu > MaxPduLength ? -1 : pdu;
    }
}
