using System.Security.Cryptography;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Packet;

namespace EdgeMeter.Common.Crypto;

/// <summary>HS256 with the platform's HMAC (OpenSSL on Linux) and its constant-time comparison.</summary>
public sealed class DotNetPacketMac : IPacketMac
{
    public string Algorithm => PacketLimits.Algorithm;

    public int MacLength => HMACSHA256.HashSizeInBytes;

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset) =>
        HMACSHA256.HashData(key, data.AsSpan(offset, count), mac.AsSpan(macOffset, HMACSHA256.HashSizeInBytes));

    public bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count) =>
        CryptographicOperations.FixedTimeEquals(left.AsSpan(leftOffset, count), right.AsSpan(rightOffset, count));
}
