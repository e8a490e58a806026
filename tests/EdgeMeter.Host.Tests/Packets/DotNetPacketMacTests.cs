using System.Text;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Crypto;

namespace EdgeMeter.Host.Tests.Packets;

public class DotNetPacketMacTests
{
    [Fact]
    public void Agrees_with_the_managed_mac_and_compares_exactly()
    {
        var random = new Random(256);
        var platform = new DotNetPacketMac();
        var managed = new ManagedPacketMac();
        var a = new byte[40];
        var b = new byte[40];
        for (var i = 0; i < 200; i++)
        {
            var key = new byte[random.Next(32, 100)];
            var data = new byte[random.Next(0, 1500)];
            random.NextBytes(key);
            random.NextBytes(data);
            var offset = data.Length == 0 ? 0 : random.Next(data.Length);
            platform.Compute(key, data, offset, data.Length - offset, a, 8);
            managed.Compute(key, data, offset, data.Length - offset, b, 8);
            Assert.Equal(a, b);
            Assert.True(platform.FixedTimeEquals(a, 8, b, 8, 32));
            b[8 + random.Next(32)] ^= 1;
            Assert.False(platform.FixedTimeEquals(a, 8, b, 8, 32));
        }

        Assert.Equal("HS256", platform.Algorithm);
        Assert.Equal(32, platform.MacLength);
    }

    [Fact]
    public void Key_registry_finds_keys_by_gateway_and_version()
    {
        var key = Convert.ToHexString(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var registry = KeyRegistry.Parse(Encoding.UTF8.GetBytes(
            "{\"keys\":[{\"gatewayId\":\"gw-0001\",\"keyVersion\":1,\"key\":\"" + key + "\"},{\"gatewayId\":\"gw-0002\",\"keyVersion\":7,\"key\":\"" + key + "\"}]}"));
        Assert.Equal(2, registry.Count);
        Assert.NotNull(registry.FindKey("gw-0002", 7));
        Assert.Null(registry.FindKey("gw-0002", 1));
        Assert.Null(registry.FindKey("gw-0003", 7));
        Assert.Throws<FormatException>(() => KeyRegistry.Parse(Encoding.UTF8.GetBytes("{\"keys\":{}}")));
    }
}
