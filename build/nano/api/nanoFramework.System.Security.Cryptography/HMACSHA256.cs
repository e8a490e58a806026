namespace System.Security.Cryptography;

public class HMACSHA256 : IDisposable
{
    public static byte[] HashData(byte[] key, byte[] source) => throw null!;

    public void Dispose() => throw null!;
}
