
namespace EdgeMeter.Core.Crypto;

/// <summary>HS256 with the core's managed <see cref="HmacSha256"/>: what the gateway uses. Allocation-free per MAC.</summary>
public sealed class ManagedPacketMac : IPacketMac
{
    private readonly HmacSha256 _hmac = new HmacSha256();
    private byte[] _keyCopy = new byte[0];

    public string Algorithm => HmacSha256.JwsAlgorithm;

    public int MacLength => HmacSha256.MacLength;

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
    {
        // Re-deriving the padded key costs two blocks, so the last key is kept. It is compared by content, not by
        // reference, so a key array overwritten in place (rotation) is never served from a stale state.
        if (!SameAsCachedKey(key))
        {
            _keyCopy = new byte[key.Length];
            System.Array.Copy(key, _keyCopy, key.Length);
            _hmac.SetKey(key, 0, key.Length);
        }

        _hmac.Compute(data, offset, count, mac, macOffset);
    }

    public bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count) =>
        ConstantTime.Equals(left, leftOffset, right, rightOffset, count);

    private bool SameAsCachedKey(byte[] key)
    {
        if (key.Length != _keyCopy.Length || key.Length == 0)
        {
            return false;
        }

        return ConstantTime.Equals(key, 0, _keyCopy, 0, key.Length);
    }
}
