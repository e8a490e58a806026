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

    private static ECDsaSecurityKey EcKey(string path)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(path));
        if (ecdsa.KeySize != 256)
        {
            throw new CryptographicException($"{path}: a {ecdsa.KeySize}-bit key; ES256 needs a P-256 key");
        }

        return new ECDsaSecurityKey(ecdsa);
    }

    private static SymmetricSecurityKey HmacKey(string secret)
    {
        var bytes = Convert.FromBase64String(secret);
        return bytes.Length >= 32 ? new SymmetricSecurityKey(bytes) : throw new FormatException($"Secret is {bytes.Length} bytes; HS256 needs at least 32");
    }
}
