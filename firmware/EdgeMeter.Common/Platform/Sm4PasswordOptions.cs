using System.Globalization;

namespace EdgeMeter.Common.Platform;

public enum Sm4Mode
{
    Ecb,
    Cbc,
}

public enum Sm4Padding
{
    /// <summary>PKCS#7: always 1-16 bytes, each the pad length.</summary>
    Pkcs7,

    /// <summary>Zero bytes up to the next block; nothing when the text already fills whole blocks.</summary>
    Zero,
}

/// <summary>How bytes are written as text: the password before encryption, the result, the key and the IV.</summary>
public enum TextEncoding
{
    Utf8,

    /// <summary>Hexadecimal; lower case when written, either case when read.</summary>
    Hex,

    /// <summary>Hexadecimal in capitals when written (some platforms compare the text as it is).</summary>
    HexUpper,

    Base64,
}

/// <summary>
/// How one platform wants the requestAK password protected with SM4, as its interface document states it. Bound
/// from the receiver's configuration (Platforms[i].Http.PasswordProtection) and parsed from the simulator's
/// command line (<see cref="Parse"/>).
/// </summary>
public sealed class Sm4PasswordOptions
{
    public Sm4Mode Mode { get; set; } = Sm4Mode.Ecb;

    /// <summary>The 128-bit key as the platform issued it, written in <see cref="KeyEncoding"/>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The 128-bit IV for CBC, written in <see cref="KeyEncoding"/>.</summary>
    public string? Iv { get; set; }

    /// <summary>How Key and Iv are written: Hex (32 digits), Base64 or Utf8 (16 characters).</summary>
    public TextEncoding KeyEncoding { get; set; } = TextEncoding.Hex;

    public Sm4Padding Padding { get; set; } = Sm4Padding.Pkcs7;

    /// <summary>How the configured password becomes the bytes encrypted: Utf8 (usual), Hex or Base64.</summary>
    public TextEncoding Input { get; set; } = TextEncoding.Utf8;

    /// <summary>How the encrypted bytes are sent: Hex, HexUpper or Base64.</summary>
    public TextEncoding Output { get; set; } = TextEncoding.Hex;

    /// <summary>Everything wrong with these options, each prefixed with <paramref name="at"/>; empty when usable.</summary>
    public IReadOnlyList<string> Problems(string at)
    {
        var problems = new List<string>();
        if (!System.Enum.IsDefined(Mode) || !System.Enum.IsDefined(Padding) || !System.Enum.IsDefined(KeyEncoding) || !System.Enum.IsDefined(Input) || !System.Enum.IsDefined(Output))
        {
            problems.Add($"{at}: Mode, Padding, KeyEncoding, Input and Output take names (Ecb/Cbc, Pkcs7/Zero, Utf8/Hex/HexUpper/Base64), not numbers");
            return problems;
        }

        if (KeyProblem(Key, "Key") is { } key)
        {
            problems.Add($"{at}.Key: {key}");
        }

        if (Mode == Sm4Mode.Cbc && KeyProblem(Iv, "Iv") is { } iv)
        {
            problems.Add($"{at}.Iv: {iv} (CBC needs one)");
        }
        else if (Mode == Sm4Mode.Ecb && Iv is not null)
        {
            problems.Add($"{at}.Iv: ECB takes no IV; remove it or set Mode to Cbc");
        }

        if (Output == TextEncoding.Utf8)
        {
            problems.Add($"{at}.Output: encrypted bytes cannot be sent as Utf8; use Hex, HexUpper or Base64");
        }

        return problems;
    }

    /// <summary>
    /// Parses "mode=cbc,key=...,iv=...,padding=pkcs7,key-encoding=hex,input=utf8,output=base64" (any order; key
    /// required). Throws <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    public static Sm4PasswordOptions Parse(string spec)
    {
        var options = new Sm4PasswordOptions();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"SM4 option '{part}' is not name=value");
            }

            var value = part[(equals + 1)..];
            switch (part[..equals].ToLowerInvariant())
            {
                case "mode": options.Mode = Enum<Sm4Mode>("mode", value); break;
                case "key": options.Key = value; break;
                case "iv": options.Iv = value; break;
                case "key-encoding": options.KeyEncoding = Enum<TextEncoding>("key-encoding", value); break;
                case "padding": options.Padding = Enum<Sm4Padding>("padding", value); break;
                case "input": options.Input = Enum<TextEncoding>("input", value); break;
                case "output": options.Output = Enum<TextEncoding>("output", value); break;
                default: throw new FormatException($"SM4 option '{part[..equals]}' is unknown (mode, key, iv, key-encoding, padding, input, output)");
            }
        }

        if (options.Problems("SM4").FirstOrDefault() is { } problem)
        {
            throw new FormatException(problem);
        }

        return options;
    }

    private string? KeyProblem(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "missing";
        }

        if (!TextCodec.TryDecode(text, KeyEncoding, out var bytes))
        {
            return $"not {KeyEncoding} text";
        }

        return bytes.Length == 16 ? null : $"{bytes.Length} bytes; SM4's {name} is 16 bytes (32 hex digits)";
    }

    private static T Enum<T>(string name, string value)
        where T : struct, Enum =>
        System.Enum.TryParse<T>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw new FormatException($"SM4 option {name} '{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>()).ToLower(CultureInfo.InvariantCulture)}");
}
