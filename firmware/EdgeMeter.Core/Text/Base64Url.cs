namespace EdgeMeter.Core.Text;

/// <summary>
/// base64url without padding (RFC 4648 section 5, as JWS requires in RFC 7515 section 2). Decoding is strict: no
/// padding, no whitespace, no characters of the standard alphabet, and unused trailing bits must be zero, so every
/// byte string has exactly one accepted encoding.
/// </summary>
public static class Base64Url
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Characters needed for <paramref name="byteCount"/> bytes.</summary>
    public static int EncodedLength(int byteCount) => ((byteCount / 3) * 4) + (byteCount % 3 == 0 ? 0 : (byteCount % 3) + 1);

    /// <summary>Largest byte count whose encoding fits in <paramref name="characters"/> characters.</summary>
    public static int MaxDecodedLength(int characters)
    {
        if (characters <= 0)
        {
            return 0;
        }

        var whole = (characters / 4) * 3;
        var rest = characters % 4;
        return whole + (rest > 1 ? rest - 1 : 0);
    }

    /// <summary>Encodes into <paramref name="destination"/> as ASCII bytes and returns the number written.</summary>
    public static int Encode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
    {
        var d = destinationOffset;
        var end = offset + count;
        var i = offset;
        for (; i + 2 < end; i += 3)
        {
            var triple = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
            destination[d++] = (byte)Alphabet[(triple >> 18) & 63];
            destination[d++] = (byte)Alphabet[(triple >> 12) & 63];
            destination[d++] = (byte)Alphabet[(triple >> 6) & 63];
            destination[d++] = (byte)Alphabet[triple & 63];
        }

        var rest = end - i;
        if (rest == 1)
        {
            var single = source[i] << 16;
            destination[d++] = (byte)Alphabet[(single >> 18) & 63];
            destination[d++] = (byte)Alphabet[(single >> 12) & 63];
        }
        else if (rest == 2)
        {
            var pair = (source[i] << 16) | (source[i + 1] << 8);
            destination[d++] = (byte)Alphabet[(pair >> 18) & 63];
            destination[d++] = (byte)Alphabet[(pair >> 12) & 63];
            destination[d++] = (byte)Alphabet[(pair >> 6) & 63];
        }

        return d - destinationOffset;
    }

    public static string Encode(byte[] source)
    {
        var ascii = new byte[EncodedLength(source.Length)];
        var length = Encode(source, 0, source.Length, ascii, 0);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)ascii[i];
        }

        return new string(chars);
    }

    /// <summary>
    /// Decodes ASCII base64url text into <paramref name="destination"/>; returns the number of bytes written, or -1
    /// when the text is not canonical unpadded base64url or does not fit.
    /// </summary>
    public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
    {
        if (count % 4 == 1 || MaxDecodedLength(count) > destination.Length - destinationOffset)
        {
            return -1;
        }

        var d = destinationOffset;
        var end = offset + count;
        var i = offset;
        for (; i + 3 < end; i += 4)
        {
            var a = Value(source[i]);
            var b = Value(source[i + 1]);
            var c = Value(source[i + 2]);
            var e = Value(source[i + 3]);
            if ((a | b | c | e) < 0)
            {
                return -1;
            }

            var quad = (a << 18) | (b << 12) | (c << 6) | e;
            destination[d++] = (byte)(quad >> 16);
            destination[d++] = (byte)(quad >> 8);
            destination[d++] = (byte)quad;
        }

        var rest = end - i;
        if (rest == 2)
        {
            var a = Value(source[i]);
            var b = Value(source[i + 1]);
            if ((a | b) < 0 || (b & 0x0f) != 0)
            {
                return -1;
            }

            destination[d++] = (byte)((a << 2) | (b >> 4));
        }
        else if (rest == 3)
        {
            var a = Value(source[i]);
            var b = Value(source[i + 1]);
            var c = Value(source[i + 2]);
            if ((a | b | c) < 0 || (c & 0x03) != 0)
            {
                return -1;
            }

            destination[d++] = (byte)((a << 2) | (b >> 4));
            destination[d++] = (byte)((b << 4) | (c >> 2));
        }

        return d - destinationOffset;
    }

    /// <summary>Decodes a base64url string; null when it is not canonical unpadded base64url.</summary>
    public static byte[]? Decode(string text)
    {
        var ascii = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ascii[i] = c < 128 ? (byte)c : (byte)'*';
        }

        var buffer = new byte[MaxDecodedLength(text.Length)];
        var length = Decode(ascii, 0, ascii.Length, buffer, 0);
        if (length < 0)
        {
            return null;
        }

        var result = new byte[length];
        System.Array.Copy(buffer, result, length);
        return result;
    }

    private static int Value(byte c)
    {
        if (c >= 'A' && c <= 'Z')
        {
            return c - 'A';
        }

        if (c >= 'a' && c <= 'z')
        {
            return c - 'a' + 26;
        }

        if (c >= '0' && c <= '9')
        {
            return c - '0' + 52;
        }

        if (c == '-')
        {
            return 62;
        }

        return c == '_' ? 63 : -1;
    }
}
