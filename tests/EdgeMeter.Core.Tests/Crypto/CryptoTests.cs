using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Core.Crypto;

namespace EdgeMeter.Core.Tests.Crypto;

public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Matches_the_FIPS_180_examples(string message, string expected)
    {
        Assert.Equal(expected, Hash(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void Hashes_a_million_a_in_uneven_pieces()
    {
        var sha = new Sha256();
        var chunk = Encoding.ASCII.GetBytes(new string('a', 997));
        var remaining = 1_000_000;
        while (remaining > 0)
        {
            var count = Math.Min(remaining, chunk.Length);
            sha.Update(chunk, 0, count);
            remaining -= count;
        }

        var digest = new byte[32];
        sha.Final(digest, 0);
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Agrees_with_the_platform_on_random_input()
    {
        var random = new Random(20250601);
        var sha = new Sha256();
        var digest = new byte[32];
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            // Feed in random splits to exercise the partial-block path.
            var split = length == 0 ? 0 : random.Next(length);
            sha.Update(data, 0, split);
            sha.Update(data, split, length - split);
            sha.Final(digest, 0);
            Assert.Equal(SHA256.HashData(data), digest);
        }
    }

    private static string Hash(byte[] data)
    {
        var sha = new Sha256();
        sha.Update(data, 0, data.Length);
        var digest = new byte[32];
        sha.Final(digest, 0);
        return Convert.ToHexStringLower(digest);
    }
}

public class HmacSha256Tests
{
    // RFC 4231 section 4: test cases 1-4, 6, 7 (case 5 truncates the output and is checked on its prefix).
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")]
    [InlineData(
        "0102030405060708090a0b0c0d0e0f10111213141516171819",
        "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")]
    [InlineData(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
    [InlineData(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")]
    public void Matches_RFC_4231(string keyHex, string dataHex, string expected)
    {
        var key = Convert.FromHexString(keyHex);
        var data = Convert.FromHexString(dataHex);
        var mac = new byte[32];
        new HmacSha256(key).Compute(data, 0, data.Length, mac, 0);
        Assert.Equal(expected, Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Matches_RFC_4231_truncated_case_5()
    {
        var key = Convert.FromHexString("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c");
        var data = Encoding.ASCII.GetBytes("Test With Truncation");
        var mac = new byte[32];
        new HmacSha256(key).Compute(data, 0, data.Length, mac, 0);
        Assert.Equal("a3b6167473100ee06e0c796c2955552b", Convert.ToHexStringLower(mac)[..32]);
    }

    [Fact]
    public void Agrees_with_the_platform_on_random_keys_and_messages()
    {
        var random = new Random(4231);
        var hmac = new HmacSha256();
        var managed = new ManagedPacketMac();
        var mac = new byte[32];
        var viaInterface = new byte[32];
        for (var i = 0; i < 400; i++)
        {
            var key = new byte[random.Next(0, 150)];
            var data = new byte[random.Next(0, 1200)];
            random.NextBytes(key);
            random.NextBytes(data);
            var expected = HMACSHA256.HashData(key, data);

            hmac.SetKey(key, 0, key.Length);
            var split = data.Length == 0 ? 0 : random.Next(data.Length);
            hmac.Begin();
            hmac.Append(data, 0, split);
            hmac.Append(data, split, data.Length - split);
            hmac.Finish(mac, 0);
            Assert.Equal(expected, mac);

            managed.Compute(key, data, 0, data.Length, viaInterface, 0);
            Assert.Equal(expected, viaInterface);
        }
    }

    [Fact]
    public void Managed_mac_notices_a_key_array_rewritten_in_place()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var data = Encoding.ASCII.GetBytes("rotation");
        var managed = new ManagedPacketMac();
        var mac = new byte[32];
        managed.Compute(key, data, 0, data.Length, mac, 0);
        key[0] ^= 0xFF;
        managed.Compute(key, data, 0, data.Length, mac, 0);
        Assert.Equal(HMACSHA256.HashData(key, data), mac);
    }

    [Fact]
    public void Constant_time_equality_compares_every_byte()
    {
        var a = new byte[] { 1, 2, 3, 4 };
        Assert.True(ConstantTime.Equals(a, 0, new byte[] { 1, 2, 3, 4 }, 0, 4));
        Assert.False(ConstantTime.Equals(a, 0, new byte[] { 1, 2, 3, 5 }, 0, 4));
        Assert.False(ConstantTime.Equals(a, 0, new byte[] { 0, 2, 3, 4 }, 0, 4));
        Assert.True(ConstantTime.Equals(a, 1, new byte[] { 9, 2, 3 }, 1, 2));
    }
}
