using EdgeMeter.Core.Protocol.Dlt645;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

public class Dlt645AddressTests
{
    [Theory]
    [InlineData("123456789012", "12 90 78 56 34 12")]
    [InlineData("000000000001", "01 00 00 00 00 00")]
    [InlineData("1", "01 00 00 00 00 00")]
    [InlineData("99999999999", "99 99 99 99 99 09")]
    [InlineData("AAAAAAAAAAAA", "AA AA AA AA AA AA")]
    [InlineData("aaaaaa123456", "56 34 12 AA AA AA")]
    public void Parses_to_wire_bytes(string text, string wire)
    {
        Assert.True(Dlt645Address.TryParse(text, out var address));
        var bytes = new byte[6];
        address.WriteTo(bytes, 0);

        Assert.Equal(wire, ToHex(bytes));
        Assert.Equal(address, Dlt645Address.FromBytes(bytes, 0));
    }

    [Theory]
    [InlineData("123456789012")]
    [InlineData("000000000001")]
    [InlineData("AAAAAAAAAAAA")]
    public void Prints_what_it_parses(string text)
    {
        Assert.Equal(text, Dlt645Address.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567890123")]
    [InlineData("12345678901x")]
    [InlineData("-12345")]
    [InlineData("12 34")]
    [InlineData("FFFFFFFFFFFF")]
    [InlineData(null)]
    public void Rejects_bad_text(string? text)
    {
        Assert.False(Dlt645Address.TryParse(text, out _));
    }

    [Fact]
    public void Knows_broadcast_and_wildcard()
    {
        Assert.True(Dlt645Address.Parse("999999999999").IsBroadcast);
        Assert.True(Dlt645Address.Broadcast.IsBroadcast);
        Assert.True(Dlt645Address.Wildcard.IsWildcard);
        Assert.False(Address.IsBroadcast);
        Assert.False(Address.IsWildcard);
        Assert.NotEqual(Dlt645Address.Broadcast, Dlt645Address.Wildcard);
        Assert.True(Address == Dlt645Address.Parse("123456789012"));
        Assert.True(Address != Dlt645Address.Parse("123456789013"));
    }
}
