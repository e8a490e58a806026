namespace EdgeMeter.Core.Buffer;

/// <summary>Little-endian integers, LEB128 varints and zigzag mapping on byte arrays. Readers never throw.</summary>
internal static class ByteCoding
{
    /// <summary>Longest varint of a 64-bit value.</summary>
    public const int MaxVarIntLength = 10;

    public static ulong ZigZag(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));

    public static long UnZigZag(ulong value) => unchecked((long)(value >> 1) ^ -(long)(value & 1));

    /// <summary>Writes <paramref name="value"/> as a varint and returns the position after it.</summary>
    public static int WriteVarInt(byte[] buffer, int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
        return position;
    }

    /// <summary>Reads a varint that must end before <paramref name="end"/>; false on truncation or overlong input.</summary>
    public static bool TryReadVarInt(byte[] buffer, ref int position, int end, out ulong value)
    {
        value = 0;
        var shift = 0;
        while (position < end)
        {
            var b = buffer[position++];
            if (shift == 63 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }

            shift += 7;
            if (shift > 63)
            {
                return false;
            }
        }

        return false;
    }

    public static void WriteUInt16(byte[] buffer, int position, int value)
    {
        buffer[position] = (byte)value;
        buffer[position + 1] = (byte)(value >> 8);
    }

    public static int ReadUInt16(byte[] buffer, int position) => buffer[position] | (buffer[position + 1] << 8);

    public static void WriteUInt32(byte[] buffer, int position, uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            buffer[position + i] = (byte)(value >> (8 * i));
        }
    }

    public static uint ReadUInt32(byte[] buffer, int position)
    {
        uint value = 0;
        for (var i = 3; i >= 0; i--)
        {
            value = (value << 8) | buffer[position + i];
        }

        return value;
    }

    public static void WriteInt64(byte[] buffer, int position, long value)
    {
        for (var i = 0; i < 8; i++)
        {
            buffer[position + i] = (byte)(value >> (8 * i));
        }
    }

    public static long ReadInt64(byte[] buffer, int position)
    {
        long value = 0;
        for (var i = 7; i >= 0; i--)
        {
            value = (value << 8) | buffer[position + i];
        }

        return value;
    }
}
