using System.Security.Cryptography;
using EdgeMeter.Receiver.Packets;

namespace EdgeMeter.Receiver.Tests.Receiver.Verify;

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

    [Fact]
    public void A_new_key_array_with_other_bytes_is_a_new_key()
    {
        var mac = new DotNetPacketMac();
        var data = new byte[] { 1, 2, 3 };
        var first = new byte[32];
        var second = new byte[32];

        mac.Compute([1], data, 0, 3, first, 0);
        mac.Compute([2], data, 0, 3, second, 0);

        Assert.NotEqual(first, second);
        Assert.Equal(HMACSHA256.HashData(new byte[] { 2 }, data), second);
    }
}
