using System;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Firmware.Tests.Support;

/// <summary>Hex text helpers without LINQ or Convert.FromHexString (neither exists on nanoFramework).</summary>
internal static class HexText
{
    /// <summary>"68 12 AB" or "6812ab" to bytes.</summary>
    public static byte[] Bytes(string text)
    {
        var digits = new char[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ' ')
            {
                digits[count++] = text[i];
            }
        }

        var bytes = new byte[count / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((Digit(digits[2 * i]) << 4) | Digit(digits[(2 * i) + 1]));
        }

        return bytes;
    }

    /// <summary>Upper-case hex with one space between bytes, as the reference sheets print frames.</summary>
    public static string Spaced(byte[] bytes, int offset, int count)
    {
        const string Digits = "0123456789ABCDEF";
        if (count == 0)
        {
            return "";
        }

        var chars = new char[(count * 3) - 1];
        for (var i = 0; i < count; i++)
        {
            var b = bytes[offset + i];
            chars[3 * i] = Digits[b >> 4];
            chars[(3 * i) + 1] = Digits[b & 0xF];
            if (i < count - 1)
            {
                chars[(3 * i) + 2] = ' ';
            }
        }

        return new string(chars);
    }

    private static int Digit(char c)
    {
        var value = Hex.DigitValue(c);
        if (value < 0)
        {
            throw new ArgumentException("not a hex digit: " + c.ToString());
        }

        return value;
    }
}
