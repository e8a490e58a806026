using System.Security.Cryptography;

namespace EdgeMeter.PlatformSim.Tokens;

/// <summary>Issues access tokens (requestAK) and checks the bearer token of every later call.</summary>
internal sealed class TokenIssuer
{
    private readonly Dictionary<string, IssuedToken> tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider time;
    private readonly TimeSpan lifetime;

    public TokenIssuer(TimeProvider time, TimeSpan lifetime)
    {
        this.time = time;
        this.lifetime = lifetime;
    }

    public IssuedToken Issue(string enterpriseCode)
    {
        var now = time.GetUtcNow();
        var token = new IssuedToken(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), enterpriseCode, now, now + lifetime);
        lock (tokens)
        {
            tokens[token.Value] = token;
        }

        return token;
    }

    /// <summary>Reads "Authorization: Bearer TOKEN" and says who it belongs to, or why it is refused.</summary>
    public TokenCheck Check(string? authorizationHeader)
    {
        const string Scheme = "Bearer ";
        if (string.IsNullOrEmpty(authorizationHeader)
            || !authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("Authorization: missing bearer token");
        }

        var value = authorizationHeader[Scheme.Length..].Trim();
        IssuedToken? token;
        lock (tokens)
        {
            tokens.TryGetValue(value, out token);
        }

        if (token is null)
        {
            return TokenCheck.Refused("token: unknown");
        }

        return time.GetUtcNow() >= token.ExpiresAt
            ? TokenCheck.Refused("token: expired, request a new one with /requestAK")
            : TokenCheck.Valid(token.EnterpriseCode);
    }

    /// <summary>Fault injection: every token issued so far expires now (the next call with one gets 401).</summary>
    public void ExpireAll()
    {
        var now = time.GetUtcNow();
        lock (tokens)
        {
            foreach (var key in tokens.Keys.ToArray())
            {
                tokens[key] = tokens[key] with { ExpiresAt = now };
            }
        }
    }
}

internal sealed record IssuedToken(string Value, string EnterpriseCode, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

internal readonly record struct TokenCheck(bool IsValid, string EnterpriseCode, string Problem)
{
    public static TokenCheck Valid(string enterpriseCode) => new(true, enterpriseCode, string.Empty);

    public static TokenCheck Refused(string problem) => new(false, string.Empty, problem);
}
