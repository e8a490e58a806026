using System.Text.Json;
using EdgeMeter.Core.Packet;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Receiver.Pushes;

/// <summary>
/// Verifies a platform push: a compact JWS (JOSE, any JWT library makes one) signed with the account's own key
/// under its pinned algorithm, claims iss = the account, aud (the enterprise codes it is for: a platform signs for
/// many enterprises with one key, so a message for one must not be good at another's receiver), jti (the message
/// id), iat (issued within MaxAge, not ahead of our clock by more than the skew), optional exp, text (1-200
/// characters), optional gateways[]. Pure apart from the clock; safe for concurrent use.
/// </summary>
public sealed class PlatformPushVerifier(IReadOnlyDictionary<string, PlatformPushKey> keys, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private const int MaxJwsLength = 16 * 1024;
    private readonly JsonWebTokenHandler _handler = new();

    public bool HasKeys => keys.Count > 0;

    /// <summary>The message, or null with why it was refused. <paramref name="account"/> null: taken from iss (the HTTPS path).</summary>
    public async Task<(PlatformMessage? Message, string? Problem)> VerifyAsync(string? account, string jws)
    {
        if (jws.Length > MaxJwsLength)
        {
            return (null, $"{jws.Length} characters; a push is at most {MaxJwsLength}");
        }

        string issuer;
        try
        {
            issuer = account ?? new JsonWebToken(jws).Issuer;
        }
        catch (Exception failure) when (failure is ArgumentException or SecurityTokenMalformedException)
        {
            return (null, $"not a compact JWS: {failure.Message}");
        }

        if (!keys.TryGetValue(issuer, out var key))
        {
            return (null, $"'{Verify.PacketIntake.Printable(issuer)}' is no platform account with a push key");
        }

        var result = await _handler.ValidateTokenAsync(jws, Parameters(key));
        if (!result.IsValid)
        {
            return (null, WithoutPii(result.Exception?.Message ?? "invalid"));
        }

        return Claims(key, (JsonWebToken)result.SecurityToken);
    }

    // IdentityModel hides token contents in its messages as "'[PII of type ... is hidden ...]'": noise in our log.
    private static string WithoutPii(string message)
    {
        var clean = System.Text.RegularExpressions.Regex.Replace(message, @"[:]? ?'?\[PII of type '[^']*' is hidden[^\]]*\]'?", "");
        return clean.Length <= 240 ? clean : clean[..240] + "...";
    }

    private TokenValidationParameters Parameters(PlatformPushKey key) => new()
    {
        IssuerSigningKey = key.Key,
        ValidAlgorithms = [key.Algorithm],
        ValidIssuer = key.Account,
        ValidateIssuer = true,
        ValidateAudience = false,
        RequireExpirationTime = false,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore <= now + ClockSkew) && (expires is null || expires > now - ClockSkew);
        },
    };

    private (PlatformMessage?, string?) Claims(PlatformPushKey key, JsonWebToken token)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        var root = payload.RootElement;
        var id = String(root, "jti");
        var text = String(root, "text");
        if (id is not { Length: > 0 and <= 64 })
        {
            return (null, "jti: the message id (1-64 characters) is required");
        }

        if (text is null || text.Length == 0 || !PayloadRules.IsText(text))
        {
            return (null, $"text: 1-{PacketLimits.MaxTextLength} characters are required");
        }

        if (!root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedSeconds))
        {
            return (null, "iat: the time of issue (seconds since 1970) is required");
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedSeconds);
        var now = time.GetUtcNow();
        if (issued > now + ClockSkew || issued < now - MaxAge)
        {
            return (null, $"iat: issued {issued:u}, which is not within {MaxAge.TotalHours:0} h before now ({now:u})");
        }

        var gateways = Strings(root, "gateways", out var gatewaysProblem);
        var audience = root.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.String
            ? [aud.GetString()!]
            : Strings(root, "aud", out _);
        var problem = gatewaysProblem ?? (audience.Count == 0 ? "aud: the enterprise code(s) the message is for are required" : null);
        return problem is not null
            ? (null, problem)
            : (new PlatformMessage(key.Account, key.Platform, id, issued, text, gateways, audience), null);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> Strings(JsonElement root, string name, out string? problem)
    {
        problem = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            problem = $"{name}: an array of strings";
            return [];
        }

        return [.. value.EnumerateArray().Select(item => item.GetString()!).Distinct(StringComparer.Ordinal)];
    }
}
