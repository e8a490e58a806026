namespace EdgeMeter.Core.Crypto;

/// <summary>
/// The MAC that signs and verifies packets. The core ships <see cref="ManagedPacketMac"/>; a PC plugs in the
/// platform's HMAC and constant-time comparison instead. Implementations need not be thread-safe.
/// </summary>
public interface IPacketMac
{
    /// <summary>The JWS "alg" this MAC implements ("HS256"); the verifier accepts this value and no other.</summary>
    string Algorithm { get; }

    /// <summary>Length of a MAC in bytes (32 for HS256).</summary>
    int MacLength { get; }

    /// <summary>Computes the MAC of <c>data[offset..offset+count)</c> under <paramref name="key"/>.</summary>
    void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset);

    /// <summary>Compares without revealing, through timing, where the inputs first differ.</summary>
    bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count);
}
