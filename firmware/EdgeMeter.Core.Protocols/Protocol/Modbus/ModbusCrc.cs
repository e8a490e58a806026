namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// CRC-16/MODBUS (reflected polynomial 0xA001, initial 0xFFFF), table-driven. On the wire the low byte goes first.
/// </summary>
public static class ModbusCrc
{
    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(byte[] data, int offset, int count)
    {
        var crc = 0xFFFF;
        var end = offset + count;
        for (var i = offset; i < end; i++)
        {
            crc = (crc >> 8) ^ Table[(crc ^ data[i]) & 0xFF];
        }

        return (ushort)crc;
    }

    /// <summary>Writes the CRC of <c>frame[0..length)</c> after it, low byte first, and returns the new length.</summary>
    public static int Append(byte[] frame, int length)
    {
        var crc = Compute(frame, 0, length);
        frame[length] = (byte)crc;
        frame[length + 1] = (byte)(crc >> 8);
        return length + 2;
    }

    /// <summary>True when the last two of <paramref name="length"/> bytes are the CRC of the ones before.</summary>
    public static bool Check(byte[] frame, int length)
    {
        if (length < 3)
        {
            return false;
        }

        var crc = Compute(frame, 0, length - 2);
        return frame[length - 2] == (byte)crc && frame[length - 1] == (byte)(crc >> 8);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var n = 0; n < 256; n++)
        {
            var crc = n;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }

            table[n] = (ushort)crc;
        }

        return table;
    }
}
