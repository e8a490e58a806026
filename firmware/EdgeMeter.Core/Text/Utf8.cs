namespace EdgeMeter.Core.Text;

/// <summary>
/// UTF-8 (RFC 3629) for the core, which has no System.Text.Encoding. Encoding turns an unpaired surrogate into
/// U+FFFD; decoding is strict and rejects overlong forms, surrogates and code points above U+10FFFF.
/// </summary>
public static class Utf8
{
    public const char ReplacementCharacter = '\uFFFD';

    /// <summary>Bytes needed to encode <paramref name="text"/>.</summary>
    public static int GetByteCount(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                count += 1;
            }
            else if (c < 0x800)
            {
                count += 2;
            }
            else if (IsHighSurrogate(c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
            {
                count += 4;
                i++;
            }
            else
            {
                count += 3;
            }
        }

        return count;
    }

    /// <summary>Encodes <paramref name="text"/>; returns the bytes written, or -1 (nothing usable) if it does not fit.</summary>
    public static int Encode(string text, byte[] destination, int offset)
    {
        var position = offset;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int codePoint = c;
            if (IsHighSurrogate(c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
            {
                codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                i++;
            }
            else if (IsHighSurrogate(c) || IsLowSurrogate(c))
            {
                codePoint = ReplacementCharacter;
            }

            var written = EncodeCodePoint(codePoint, destination, position);
            if (written < 0)
            {
                return -1;
            }

            position += written;
        }

        return position - offset;
    }

    public static byte[] GetBytes(string text)
    {
        var bytes = new byte[GetByteCount(text)];
        Encode(text, bytes, 0);
        return bytes;
    }

    /// <summary>Writes one code point; returns the byte count, or -1 if it does not fit.</summary>
    public static int EncodeCodePoint(int codePoint, byte[] destination, int offset)
    {
        var room = destination.Length - offset;
        if (codePoint < 0x80)
        {
            if (room < 1)
            {
                return -1;
            }

            destination[offset] = (byte)codePoint;
            return 1;
        }

        if (codePoint < 0x800)
        {
            if (room < 2)
            {
                return -1;
            }

            destination[offset] = (byte)(0xC0 | (codePoint >> 6));
            destination[offset + 1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            if (room < 3)
            {
                return -1;
            }

            destination[offset] = (byte)(0xE0 | (codePoint >> 12));
            destination[offset + 1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            destination[offset + 2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        if (room < 4)
        {
            return -1;
        }

        destination[offset] = (byte)(0xF0 | (codePoint >> 18));
        destination[offset + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        destination[offset + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        destination[offset + 3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }

    /// <summary>
    /// Decodes the code point starting at <paramref name="offset"/>. Returns it and sets <paramref name="length"/> to
    /// its byte count, or returns -1 on invalid or truncated UTF-8.
    /// </summary>
    public static int DecodeCodePoint(byte[] source, int offset, int end, out int length)
    {
        length = 0;
        var lead = source[offset];
        int needed;
        int codePoint;
        int minimum;
        if (lead < 0x80)
        {
            length = 1;
            return lead;
        }

        if ((lead & 0xE0) == 0xC0)
        {
            needed = 1;
            codePoint = lead & 0x1F;
            minimum = 0x80;
        }
        else if ((lead & 0xF0) == 0xE0)
        {
            needed = 2;
            codePoint = lead & 0x0F;
            minimum = 0x800;
        }
        else if ((lead & 0xF8) == 0xF0)
        {
            needed = 3;
            codePoint = lead & 0x07;
            minimum = 0x10000;
        }
        else
        {
            return -1;
        }

        if (offset + needed >= end)
        {
            return -1;
        }

        for (var i = 1; i <= needed; i++)
        {
            var next = source[offset + i];
            if ((next & 0xC0) != 0x80)
            {
                return -1;
            }

            codePoint = (codePoint << 6) | (next & 0x3F);
        }

        if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        {
            return -1;
        }

        length = needed + 1;
        return codePoint;
    }

    /// <summary>Decodes strict UTF-8 into a string; null when the bytes are not valid UTF-8.</summary>
    public static string? Decode(byte[] source, int offset, int count)
    {
        var chars = new char[count];
        var written = 0;
        var end = offset + count;
        var position = offset;
        while (position < end)
        {
            var codePoint = DecodeCodePoint(source, position, end, out var length);
            if (codePoint < 0)
            {
                return null;
            }

            written += WriteUtf16(codePoint, chars, written);
            position += length;
        }

        return new string(chars, 0, written);
    }

    /// <summary>Writes a code point as one or two UTF-16 units and returns how many.</summary>
    public static int WriteUtf16(int codePoint, char[] destination, int offset)
    {
        if (codePoint < 0x10000)
        {
            destination[offset] = (char)codePoint;
            return 1;
        }

        var v = codePoint - 0x10000;
        destination[offset] = (char)(0xD800 + (v >> 10));
        destination[offset + 1] = (char)(0xDC00 + (v & 0x3FF));
        return 2;
    }

    internal static bool IsHighSurrogate(char c) => c >= 0xD800 && c <= 0xDBFF;

    internal static bool IsLowSurrogate(char c) => c >= 0xDC00 && c <= 0xDFFF;
}
