
namespace EdgeMeter.Core.Keys;

/// <summary>
/// The JWS "kid": "&lt;gatewayId&gt;.&lt;keyVersion&gt;", e.g. "gw-0001.3". The version lets a gateway's key rotate:
/// the platform keeps old and new versions registered while gateways move over.
/// </summary>
public static class PacketKeyId
{
    public static string Format(string gatewayId, int keyVersion) => gatewayId + "." + keyVersion.ToString();

    /// <summary>
    /// Splits a kid held in <paramref name="text"/>; the gateway id is <c>text[start..start+gatewayLength)</c>.
    /// The version is decimal without leading zeros, 0 to <see cref="GatewayIdentity.MaxKeyVersion"/>.
    /// </summary>
    public static bool TryParse(char[] text, int start, int length, out int gatewayLength, out int keyVersion)
    {
        gatewayLength = 0;
        keyVersion = 0;
        var dot = -1;
        for (var i = start + length - 1; i >= start; i--)
        {
            if (text[i] == '.')
            {
                dot = i;
                break;
            }
        }

        if (dot < 0 || !GatewayIdentity.IsGatewayId(text, start, dot - start))
        {
            return false;
        }

        var digits = start + length - dot - 1;
        if (digits < 1 || digits > 9 || (digits > 1 && text[dot + 1] == '0'))
        {
            return false;
        }

        var version = 0;
        for (var i = dot + 1; i < start + length; i++)
        {
            var c = text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            version = (version * 10) + (c - '0');
        }

        gatewayLength = dot - start;
        keyVersion = version;
        return true;
    }
}
