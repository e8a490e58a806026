namespace EdgeMeter.Common.Platform;

/// <summary>
/// The unified social credit code of GB 32100-2015, which platforms use as enterpriseCode: 18 characters of a
/// 31-character alphabet (digits and capitals without I, O, S, V, Z), the last a check character over the first 17
/// (weights 3^i mod 31). The receiver and the platform simulator both judge codes here, so they agree.
/// </summary>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when <paramref name="code"/> is a well-formed code with the right check character, else why not.</summary>
    public static string? Problem(string? code)
    {
        if (code is not { Length: 18 })
        {
            return $"'{code}' is not 18 characters (a unified social credit code, GB 32100)";
        }

        foreach (var c in code)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return $"'{code}' has '{c}', which is not in the unified social credit code alphabet (digits and capitals without I, O, S, V, Z)";
            }
        }

        var expected = CheckCharacter(code.AsSpan(0, 17));
        return code[17] == expected
            ? null
            : $"'{code}' ends in '{code[17]}', but its check character (GB 32100) is '{expected}'";
    }

    public static bool IsValid(string? code) => Problem(code) is null;

    /// <summary>The 18th character of a code whose first 17 are <paramref name="first17"/> (all in the alphabet).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("17 characters are needed", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not in the alphabet", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }
}
