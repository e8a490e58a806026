using System.Text;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Tests.Text;

public class Base64UrlTests
{
    [Fact]
    public void Round_trips_and_matches_the_platform_encoding()
    {
        var random = new Random(7515);
        for (var length = 0; length < 200; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var expected = Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(expected, Base64Url.Encode(data));
            Assert.Equal(expected.Length, Base64Url.EncodedLength(length));
            Assert.Equal(length, Base64Url.MaxDecodedLength(expected.Length));
            Assert.Equal(data, Base64Url.Decode(expected));
        }
    }

    [Theory]
    [InlineData("eyJ=")] // padding
    [InlineData("ab+c")] // standard alphabet
    [InlineData("ab/c")]
    [InlineData("ab c")] // whitespace
    [InlineData("abcde")] // length 1 mod 4
    [InlineData("QR")] // non-zero unused bits: "QQ" is the canonical encoding of 0x41
    [InlineData("QUJ")] // non-zero unused bits: "QUI" is canonical for "AB"
    [InlineData("ä")]
    public void Rejects_non_canonical_or_foreign_text(string text)
    {
        Assert.Null(Base64Url.Decode(text));
    }

    [Fact]
    public void Refuses_to_decode_past_the_destination()
    {
        var source = Encoding.ASCII.GetBytes("AAAAAAAA");
        Assert.Equal(-1, Base64Url.Decode(source, 0, source.Length, new byte[5], 0));
        Assert.Equal(6, Base64Url.Decode(source, 0, source.Length, new byte[6], 0));
    }
}

public class Utf8Tests
{
    [Theory]
    [InlineData("kWh")]
    [InlineData("m³ ℃ 电能")]
    [InlineData("emoji \U0001F50C plug")]
    [InlineData("")]
    public void Encodes_like_the_platform(string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected.Length, Utf8.GetByteCount(text));
        Assert.Equal(expected, Utf8.GetBytes(text));
        Assert.Equal(text, Utf8.Decode(expected, 0, expected.Length));
    }

    [Fact]
    public void Encodes_an_unpaired_surrogate_as_the_replacement_character()
    {
        Assert.Equal(new byte[] { 0x61, 0xEF, 0xBF, 0xBD }, Utf8.GetBytes("a\uD800"));
    }

    [Theory]
    [InlineData("c080")] // overlong NUL
    [InlineData("e08080")] // overlong
    [InlineData("eda080")] // surrogate
    [InlineData("f4908080")] // above U+10FFFF
    [InlineData("e282")] // truncated
    [InlineData("80")] // continuation without lead
    [InlineData("ff")]
    public void Rejects_invalid_sequences(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Null(Utf8.Decode(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Decoding_random_bytes_agrees_with_a_strict_platform_decoder()
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var random = new Random(3629);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 12)];
            random.NextBytes(bytes);
            string? expected;
            try
            {
                expected = strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                expected = null;
            }

            Assert.Equal(expected, Utf8.Decode(bytes, 0, bytes.Length));
        }
    }
}

public class HexTests
{
    [Fact]
    public void Decodes_either_case_and_encodes_lower_case()
    {
        Assert.Equal(new byte[] { 0x00, 0xAB, 0xff }, Hex.Decode("00AbfF"));
        Assert.Equal("00abff", Hex.Encode(new byte[] { 0x00, 0xAB, 0xff }));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz")]
    [InlineData("0x00")]
    public void Rejects_what_is_not_hex(string text)
    {
        Assert.Null(Hex.Decode(text));
    }
}
