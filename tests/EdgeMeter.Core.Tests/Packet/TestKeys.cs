using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Tests.Packet;

/// <summary>Fixed keys and a raw JWS maker for packets the signer would never produce.</summary>
internal static class TestKeys
{
    public static readonly byte[] Gateway1 = Enumerable.Range(0x00, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] Gateway1Version2 = Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] Gateway2 = Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] Wrong = Enumerable.Range(0, 32).Select(i => (byte)(0xFF - i)).ToArray();

    public static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>header.payload.signature over exactly these JSON texts (HS256 unless told).</summary>
    public static string Jws(string headerJson, string payloadJson, byte[] key, string algorithm = "HS256")
    {
        var signingInput = Base64Url.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payloadJson));
        return signingInput + "." + Signature(signingInput, key, algorithm);
    }

    public static string Signature(string signingInput, byte[] key, string algorithm = "HS256")
    {
        var input = Encoding.ASCII.GetBytes(signingInput);
        var mac = algorithm == "HS512" ? HMACSHA512.HashData(key, input) : HMACSHA256.HashData(key, input);
        return Base64Url.Encode(mac);
    }
}
