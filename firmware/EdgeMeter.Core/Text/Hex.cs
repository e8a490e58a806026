namespace EdgeMeter.Core.Text;

/// <summary>Hexadecimal digits, for keys written as hex in configuration and on the command line.</summary>
public static class Hex
{
    private const string Digits = "0123456789abcdef";

    /// <summary>0-15 for a hex digit (either case), -1 otherwise.</summary>
    public static int DigitValue(int c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }

        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return -1;
    }

    /// <summary>Decodes hex text (even length, no separators); null when it is not.</summary>
    public static byte[]? Decode(string text)
    {
        if (text == null || text.Length % 2 != 0)
        {
            return null;
        }

        var bytes = new byte[text.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            var high = DigitValue(text[2 * i]);
            var low = DigitValue(text[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return null;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        return bytes;
    }

    /// <summary>Lower-case hex of <paramref name="bytes"/>.</summary>
    public static string Encode(byte[] bytes)
    {
        var chars = new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
