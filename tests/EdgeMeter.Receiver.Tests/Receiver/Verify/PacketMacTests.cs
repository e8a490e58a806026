using System.Security.Cryptography;
using EdgeMeter.Common.Crypto;

namespace EdgeMeter.Receiver.Tests.Receiver.Verify;

/// <summary>The receiver's HS256 computes over the given slice into the given offset, whatever key came before.</summary>
public sealed class PacketMacTests
{
    [Fact]
    public void Each_key_gets_its_own_mac_however_the_keys_alternate()
    {
        var mac = new DotNetPacketMac();
        byte[][] keys = [[1, 2, 3], [4, 5, 6, 7], new byte[64]];
        var data = new byte[300];
        new Random(9).NextBytes(data);

        for (var round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                var computed = new byte[40];
                mac.Compute(key, data, 10, 250, computed, 4);
                Assert.Equal(HMACSHA256.HashData(key, data.AsSpan(10, 250)), computed[4..36]);
            }
        }
    }
}
