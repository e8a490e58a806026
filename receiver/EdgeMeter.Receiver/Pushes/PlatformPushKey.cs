using System.Security.Cryptography;
using EdgeMeter.Receiver.Config;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Receiver.Pushes;

/// <summary>A platform account's push key, pinned to its algorithm (so a token cannot pick another, e.g. "none" or HS256 over a public key).</summary>
public sealed record PlatformPushKey(string Account, string Platform, string Algorithm, SecurityKey Key)
{
    /// <summary>Throws <see cref="CryptographicException"/>, <see cref="FormatException"/> or an IO exception naming what is wrong.</summary>
    public static PlatformPushKey Load(string account, PlatformPushOptions push)
    {
        SecurityKey key = push.Algorithm switch
        {
            SecurityAlgorithms.EcdsaSha256 => EcKey(push.PublicKeyFile ?? throw new FormatException("ES256 needs PublicKeyFile (the platform's public key, PEM)")),
            SecurityAlgorithms.HmacSha256 => HmacKey(push.Secret ?? throw new FormatException("HS256 needs Secret (base64, at least 32 bytes)")),
            _ => throw new FormatException($"Algorithm '{push.Algorithm}' is not ES256 or HS256"),
        };
        return new PlatformPushKey(account, push.Platform, push.Algorithm, key);
    }

    private const string P256 = "1.2.840.10045.3.1.7";

    private static ECDsaSecurityKey EcKey(string path)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
            if (ecdsa.ExportParameters(false).Curve.Oid.Value != P256)
            {
                throw new CryptographicException($"PublicKeyFile {path}: not a P-256 key, which ES256 needs");
            }

            return new ECDsaSecurityKey(ecdsa);
        }
        catch (Exception failure) when (failure is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new CryptographicException(failure.Message.StartsWith("PublicKeyFile", StringComparison.Ordinal) ? failure.Message : $"PublicKeyFile {path}: {failure.Message}");
        }
    }

    private static SymmetricSecurityKey HmacKey(string secret)
    {
        var bytes = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret, bytes, out var length))
        {
            throw new FormatException("Secret is not base64");
        }

        return length >= 32 ? new SymmetricSecurityKey(bytes[..length]) : throw new FormatException($"Secret is {length} bytes; HS256 needs at least 32");
    }
}
