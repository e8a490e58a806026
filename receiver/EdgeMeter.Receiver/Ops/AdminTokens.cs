using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Ops;

/// <summary>Bearer tokens of the admin API. Compared as SHA-256 digests in constant time; the name is the audit actor.</summary>
public sealed class AdminTokens(IEnumerable<AdminTokenOptions> tokens)
{
    private readonly (string Name, byte[] Digest)[] _tokens = tokens.Select(token => (token.Name, Digest(token.Token))).ToArray();

    /// <summary>The token's name for an "Authorization: Bearer ..." header value, or null.</summary>
    public string? Match(string? authorization)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = Digest(authorization[Bearer.Length..].Trim());
        string? match = null;
        foreach (var (name, digest) in _tokens)
        {
            // No early exit: every token is compared.
            if (CryptographicOperations.FixedTimeEquals(presented, digest))
            {
                match = name;
            }
        }

        return match;
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
