using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Core.Text;

namespace EdgeMeter.TestSupport;

/// <summary>
/// Public test keys, never used anywhere else: gw-0001 has versions 1 (the vectors' key) and 2, gw-0002 version 1;
/// and a raw JWS maker for packets the signer would never produce.
/// </summary>
public static class TestKeys
{
    public const string Gateway1 = "gw-0001";
    public const string Gateway2 = "gw-0002";

    public static readonly byte[] Gateway1V1 = Bytes(0x00);
    public static readonly byte[] Gateway1V2 = Bytes(0x20);
    public static readonly byte[] Gateway2V1 = Bytes(0x40);
    public static readonly byte[] Wrong = Enumerable.Range(0, 32).Select(i => (byte)(0xFF - i)).ToArray();

    public static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Every key above: gateway, key version, key.</summary>
    public static IReadOnlyList<(string Gateway, int Version, byte[] Key)> All =>
    [
        (Gateway1, 1, Gateway1V1),
        (Gateway1, 2, Gateway1V2),
        (Gateway2, 1, Gateway2V1),
    ];

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

    private static byte[] Bytes(int first) => Enumerable.Range(first, 32).Select(b => (byte)b).ToArray();
}
