using System;
using System.Security.Cryptography;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Firmware.Crypto;

/// <summary>
/// HS256 through the firmware's native HMAC-SHA256 (mbedTLS, nanoFramework.System.Security.Cryptography), with the
/// core's managed <see cref="ManagedPacketMac"/> as the fallback.
/// </summary>
/// <remarks>
/// The native API differs from desktop .NET: HMACSHA256.HashData(key, source) takes whole arrays only (no offset,
/// count or span) and returns a new 32-byte array. A slice is therefore copied into a reusable scratch buffer first,
/// and each MAC allocates that 32-byte result. The constructor checks the native code against RFC 4231 test case 2
/// and uses the managed implementation if it throws (a firmware built without the native part reports
/// NotImplementedException) or disagrees. A firmware that lacks the managed assembly's native counterpart entirely
/// refuses to deploy the application, so this fallback only covers a target that ships a stub.
/// </remarks>
public sealed class NativePacketMac : IPacketMac
{
    private readonly ManagedPacketMac _managed = new ManagedPacketMac();
    private byte[] _scratch = new byte[0];

    public NativePacketMac()
    {
        IsNative = NativeAgreesWithRfc4231();
    }

    /// <summary>Whether MACs are computed natively (false: the managed fallback is in use).</summary>
    public bool IsNative { get; }

    public string Algorithm => _managed.Algorithm;

    public int MacLength => _managed.MacLength;

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
    {
        if (!IsNative)
        {
            _managed.Compute(key, data, offset, count, mac, macOffset);
            return;
        }

        byte[] source;
        if (offset == 0 && count == data.Length)
        {
            source = data;
        }
        else
        {
            // HashData has no offset/count: copy the slice into an exact-length buffer, reused while lengths repeat.
            if (_scratch.Length != count)
            {
                _scratch = new byte[count];
            }

            Array.Copy(data, offset, _scratch, 0, count);
            source = _scratch;
        }

        var result = HMACSHA256.HashData(key, source);
        Array.Copy(result, 0, mac, macOffset, MacLength);
    }

    public bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count) =>
        ConstantTime.Equals(left, leftOffset, right, rightOffset, count);

    private static bool NativeAgreesWithRfc4231()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        var key = new byte[] { 0x4a, 0x65, 0x66, 0x65 };
        var data = new byte[]
        {
            0x77, 0x68, 0x61, 0x74, 0x20, 0x64, 0x6f, 0x20, 0x79, 0x61, 0x20, 0x77, 0x61, 0x6e,
            0x74, 0x20, 0x66, 0x6f, 0x72, 0x20, 0x6e, 0x6f, 0x74, 0x68, 0x69, 0x6e, 0x67, 0x3f,
        };
        var expected = Hex.Decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        try
        {
            var actual = HMACSHA256.HashData(key, data);
            return expected != null && actual != null && actual.Length == expected.Length
                && ConstantTime.Equals(actual, 0, expected, 0, expected.Length);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
