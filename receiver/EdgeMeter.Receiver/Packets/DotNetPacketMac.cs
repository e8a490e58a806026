using System.Security.Cryptography;
using EdgeMeter.Core.Packet;

namespace EdgeMeter.Receiver.Packets;

/// <summary>
/// HS256 with the platform's HMAC and constant-time comparison. A receiver verifies packets of many gateways, so
/// it keeps one keyed HMAC per key it has seen: setting up a one-shot HMAC costs OpenSSL more than hashing a
/// 1 KB packet. Not thread-safe: one per verifier. Keys are recognised by reference; the key store hands out the
/// same array for a key until it reloads.
/// </summary>
public sealed class DotNetPacketMac : IPacketMac
{
    private const int MaxKeys = 4096;
    private readonly Dictionary<byte[], HMACSHA256> _macs = new(ReferenceEqualityComparer.Instance);

    public string Algorithm => PacketLimits.Algorithm;

    public int MacLength => HMACSHA256.HashSizeInBytes;

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
    {
        if (!MacFor(key).TryComputeHash(data.AsSpan(offset, count), mac.AsSpan(macOffset, HMACSHA256.HashSizeInBytes), out _))
        {
            throw new CryptographicException("the MAC buffer is too small");
        }
    }

    public bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count) =>
        CryptographicOperations.FixedTimeEquals(left.AsSpan(leftOffset, count), right.AsSpan(rightOffset, count));

    private HMACSHA256 MacFor(byte[] key)
    {
        if (_macs.TryGetValue(key, out var mac))
        {
            return mac;
        }

        if (_macs.Count >= MaxKeys)
        {
            // Keys retired by reloads would otherwise stay for ever.
            foreach (var old in _macs.Values)
            {
                old.Dispose();
            }

            _macs.Clear();
        }

        return _macs[key] = new HMACSHA256(key);
    }
}
