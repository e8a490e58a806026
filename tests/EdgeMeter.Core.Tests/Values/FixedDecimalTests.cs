using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Values;

public class FixedDecimalTests
{
    [Theory]
    [InlineData(0L, 0, "0")]
    [InlineData(22010L, 1, "2201.0")]
    [InlineData(-12345L, 4, "-1.2345")]
    [InlineData(5L, 3, "0.005")]
    [InlineData(-5L, 3, "-0.005")]
    [InlineData(long.MaxValue, 2, "92233720368547758.07")]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    public void Formats_exactly(long mantissa, int scale, string expected)
    {
        Assert.Equal(expected, new FixedDecimal(mantissa, scale).ToString());
    }

    [Theory]
    [InlineData("12345.67", 1234567L, 2)]
    [InlineData("-0.005", -5L, 3)]
    [InlineData("220", 220L, 0)]
    public void Parses_what_it_formats(string text, long mantissa, int scale)
    {
        Assert.True(FixedDecimal.TryParse(text, out var value));
        Assert.Equal(new FixedDecimal(mantissa, scale), value);
        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e5")]
    [InlineData("1.2.3")]
    [InlineData("1234567890123456789")]
    public void Rejects_malformed_text(string text)
    {
        Assert.False(FixedDecimal.TryParse(text, out _));
    }
}
