namespace EdgeMeter.Core.Tests.Protocol.Modbus;

internal static class ModbusBytes
{
    /// <summary>"01 03 00 0A" to bytes.</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Bit-by-bit CRC-16/MODBUS, written from the definition, as an independent reference for the table.</summary>
    public static ushort ReferenceCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return (ushort)crc;
    }

    /// <summary>True when the frame ends with the reference CRC of the rest, low byte first.</summary>
    public static bool HasValidCrc(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 3)
        {
            return false;
        }

        var crc = ReferenceCrc(frame[..^2]);
        return frame[^2] == (byte)crc && frame[^1] == (byte)(crc >> 8);
    }
}
