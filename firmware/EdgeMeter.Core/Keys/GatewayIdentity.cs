namespace EdgeMeter.Core.Keys;

/// <summary>
/// Who signs a packet: a gateway id and the version of its key, written together as the JWS "kid" ("gw-0001.3"),
/// and the size a key must have.
/// </summary>
public static class GatewayIdentity
{
    public const int MaxGatewayIdLength = 64;

    public const int MaxKeyVersion = 999999999;

    /// <summary>RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Gateway ids: 1-64 of A-Z a-z 0-9 '_' '-' (they are MQTT topic levels and kid prefixes).</summary>
    public static bool IsGatewayId(string text)
    {
        if (text == null || text.Length < 1 || text.Length > MaxGatewayIdLength)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!IsGatewayIdCharacter(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsGatewayId(char[] text, int start, int length)
    {
        if (length < 1 || length > MaxGatewayIdLength)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            if (!IsGatewayIdCharacter(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsGatewayIdCharacter(char c) =>
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
