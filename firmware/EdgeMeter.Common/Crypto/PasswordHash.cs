using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeMeter.Common.Crypto;

/// <summary>
/// Broker passwords kept as PBKDF2-SHA256 hashes in the configuration: "pbkdf2-sha256$iterations$salt$hash"
/// (salt and hash base64). `edgemeter-receiver hash-password` makes one.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool IsWellFormed(string encoded) => TryDecode(encoded, out _, out _, out _);

    /// <summary>Constant-time check of <paramref name="password"/> against an encoded hash; false for a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (!TryDecode(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryDecode(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations is < 1000 or > 10_000_000)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }
}
