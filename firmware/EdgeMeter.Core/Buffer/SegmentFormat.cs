namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Byte layout of a segment file: a 16-byte header, then frames. docs/storage.md describes it for humans.
/// <code>
/// header: "EMS1" | first sequence (int64 LE) | CRC-32 of the previous 12 bytes (LE)
/// frame:  payload length (uint16 LE, 1..65535) | payload (encoded readings) | CRC-32 of length and payload (LE)
/// </code>
/// A segment file is named after its first sequence number: 16 decimal digits and ".seg".
/// </summary>
internal static class SegmentFormat
{
    public const int HeaderSize = 16;
    public const int FrameHeadSize = 2;
    public const int FrameTailSize = 4;
    public const int FrameOverhead = FrameHeadSize + FrameTailSize;
    public const int MaxFramePayload = 0xFFFF;

    private const int NameDigits = 16;
    private const string NameSuffix = ".seg";
    private static readonly byte[] Magic = { (byte)'E', (byte)'M', (byte)'S', (byte)'1' };

    public static void WriteHeader(byte[] buffer, int position, long firstSequence)
    {
        for (var i = 0; i < 4; i++)
        {
            buffer[position + i] = Magic[i];
        }

        ByteCoding.WriteInt64(buffer, position + 4, firstSequence);
        ByteCoding.WriteUInt32(buffer, position + 12, Crc32.Compute(buffer, position, 12));
    }

    public static bool IsValidHeader(byte[] buffer, int position, long expectedFirstSequence)
    {
        for (var i = 0; i < 4; i++)
        {
            if (buffer[position + i] != Magic[i])
            {
                return false;
            }
        }

        return ByteCoding.ReadUInt32(buffer, position + 12) == Crc32.Compute(buffer, position, 12)
            && ByteCoding.ReadInt64(buffer, position + 4) == expectedFirstSequence;
    }

    public static string FileName(long firstSequence)
    {
        var chars = new char[NameDigits + NameSuffix.Length];
        var value = firstSequence;
        for (var i = NameDigits - 1; i >= 0; i--)
        {
            chars[i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }

        for (var i = 0; i < NameSuffix.Length; i++)
        {
            chars[NameDigits + i] = NameSuffix[i];
        }

        return new string(chars);
    }

    /// <summary>Parses a segment file name; false for any other file.</summary>
    public static bool TryParseFileName(string name, out long firstSequence)
    {
        firstSequence = 0;
        if (name.Length != NameDigits + NameSuffix.Length)
        {
            return false;
        }

        for (var i = 0; i < NameSuffix.Length; i++)
        {
            if (name[NameDigits + i] != NameSuffix[i])
            {
                return false;
            }
        }

        for (var i = 0; i < NameDigits; i++)
        {
            var c = name[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            firstSequence = (firstSequence * 10) + (c - '0');
        }

        return firstSequence > 0;
    }
}
