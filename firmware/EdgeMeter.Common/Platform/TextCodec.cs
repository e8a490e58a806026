using System.Text;

namespace EdgeMeter.Common.Platform;

/// <summary>Bytes to and from text in a <see cref="TextEncoding"/>.</summary>
public static class TextCodec
{
    public static bool TryDecode(string text, TextEncoding encoding, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = encoding switch
            {
                TextEncoding.Utf8 => new UTF8Encoding(false, true).GetBytes(text),
                TextEncoding.Hex or TextEncoding.HexUpper => Convert.FromHexString(text),
                _ => Convert.FromBase64String(text),
            };
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string Encode(byte[] bytes, TextEncoding encoding) => encoding switch
    {
        TextEncoding.Utf8 => new UTF8Encoding(false, true).GetString(bytes),
        TextEncoding.Hex => Convert.ToHexStringLower(bytes),
        TextEncoding.HexUpper => Convert.ToHexString(bytes),
        _ => Convert.ToBase64String(bytes),
    };
}
