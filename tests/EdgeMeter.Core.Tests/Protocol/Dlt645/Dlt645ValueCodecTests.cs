using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

public class Dlt645ValueCodecTests
{
    public static TheoryData<uint, Dlt645Version> NumericItems()
    {
        var data = new TheoryData<uint, Dlt645Version>();
        for (var i = 0; i < Dlt645Catalogue.Count; i++)
        {
            var item = Dlt645Catalogue.Get(i);
            if (item.Kind is Dlt645DataKind.Numeric or Dlt645DataKind.Block)
            {
                data.Add(item.DataIdentifier, item.Version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NumericItems))]
    public void Round_trips_extremes_of_every_catalogued_number(uint di, Dlt645Version version)
    {
        var item = Dlt645Catalogue.Find(di, version)!;
        var digits = item.ElementLength * 2;
        var largest = item.Signed ? (8 * Pow10(digits - 1)) - 1 : Pow10(digits) - 1;
        var values = new List<long> { 0, 1, largest, largest / 7, Pow10(digits - 1) };
        if (item.Signed)
        {
            values.AddRange(new[] { -1, -largest, -(largest / 3) });
        }

        foreach (var mantissa in values)
        {
            var value = new FixedDecimal(mantissa, item.Decimals);
            var bytes = new byte[item.ElementLength];
            Assert.True(Dlt645ValueCodec.TryEncode(item, value, bytes, 0), $"{di:X8} encode {value}");
            Assert.True(
                Dlt645ValueCodec.TryDecode(bytes, 0, bytes.Length, item.Decimals, item.Signed, out var decoded),
                $"{di:X8} decode {ToHex(bytes)}");
            Assert.Equal(value, decoded);
        }
    }

    [Theory]
    [MemberData(nameof(NumericItems))]
    public void Refuses_what_does_not_fit_every_catalogued_number(uint di, Dlt645Version version)
    {
        var item = Dlt645Catalogue.Find(di, version)!;
        var digits = item.ElementLength * 2;
        var tooLarge = item.Signed ? 8 * Pow10(digits - 1) : Pow10(digits);
        var bytes = new byte[item.ElementLength];

        Assert.False(Dlt645ValueCodec.TryEncode(item, new FixedDecimal(tooLarge, item.Decimals), bytes, 0));
        Assert.False(Dlt645ValueCodec.TryEncode(item, new FixedDecimal(1, item.Decimals + 1), bytes, 0));
        Assert.Equal(
            item.Signed,
            Dlt645ValueCodec.TryEncode(item, new FixedDecimal(-1, item.Decimals), bytes, 0));
    }

    [Theory]
    [MemberData(nameof(NumericItems))]
    public void Decodes_every_element_of_blocks_and_only_exact_lengths_of_numbers(uint di, Dlt645Version version)
    {
        var item = Dlt645Catalogue.Find(di, version)!;
        var elements = item.Length / item.ElementLength;
        var data = new byte[item.Length];
        for (var i = 0; i < elements; i++)
        {
            Assert.True(Dlt645ValueCodec.TryEncode(item, new FixedDecimal(i + 1, item.Decimals), data, i * item.ElementLength));
        }

        for (var i = 0; i < elements; i++)
        {
            Assert.True(Dlt645ValueCodec.TryDecodeElement(item, data, 0, data.Length, i, out var value));
            Assert.Equal(new FixedDecimal(i + 1, item.Decimals), value);
        }

        Assert.False(Dlt645ValueCodec.TryDecodeElement(item, data, 0, data.Length, elements, out _));
        Assert.False(Dlt645ValueCodec.TryDecode(item, data, 0, data.Length - 1, out _));
        Assert.True(Dlt645ValueCodec.TryDecode(item, data, 0, data.Length, out var first));
        Assert.Equal(new FixedDecimal(1, item.Decimals), first);
    }

    [Theory]
    [InlineData("220.1", 2, 1, false, "01 22")]
    [InlineData("220", 2, 1, false, "00 22")]
    [InlineData("12345.67", 4, 2, false, "67 45 23 01")]
    [InlineData("-1.2345", 3, 4, true, "45 23 81")]
    [InlineData("79.9999", 3, 4, true, "99 99 79")]
    [InlineData("-79.9999", 3, 4, true, "99 99 F9")]
    [InlineData("-0.999", 2, 3, true, "99 89")]
    [InlineData("999999999999999999", 9, 0, false, "99 99 99 99 99 99 99 99 99")]
    public void Encodes_known_values(string text, int length, int decimals, bool signed, string expected)
    {
        Assert.True(FixedDecimal.TryParse(text, out var value));
        var bytes = new byte[length];

        Assert.True(Dlt645ValueCodec.TryEncode(value, length, decimals, signed, bytes, 0));
        Assert.Equal(expected, ToHex(bytes));
    }

    [Theory]
    [InlineData("220.15", 2, 1, false)]
    [InlineData("1000.0", 2, 1, false)]
    [InlineData("80.0000", 3, 4, true)]
    [InlineData("-0.1", 2, 1, false)]
    [InlineData("1", 10, 0, false)]
    [InlineData("1", 0, 0, false)]
    public void Refuses_values_that_do_not_fit(string text, int length, int decimals, bool signed)
    {
        Assert.True(FixedDecimal.TryParse(text, out var value));
        var bytes = new byte[Math.Max(length, 1)];

        Assert.False(Dlt645ValueCodec.TryEncode(value, length, decimals, signed, bytes, 0));
        Assert.All(bytes, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("1A 22")]
    [InlineData("01 A2")]
    [InlineData("FF FF")]
    public void Rejects_bytes_that_are_not_bcd(string hex)
    {
        Assert.False(Dlt645ValueCodec.TryDecode(Hex(hex), 0, 2, 1, false, out _));
    }

    [Fact]
    public void Reads_the_sign_bit_only_for_signed_formats()
    {
        Assert.True(Dlt645ValueCodec.TryDecode(Hex("45 23 81"), 0, 3, 4, false, out var unsigned));
        Assert.Equal(new FixedDecimal(812345, 4), unsigned);
        Assert.False(Dlt645ValueCodec.TryDecode(Hex("45 23 F1"), 0, 3, 4, false, out _));
    }

    [Fact]
    public void Encodes_date_and_time_lowest_unit_first()
    {
        var when = new DateTime(2025, 3, 4, 5, 6, 7); // a Tuesday
        var date = new byte[4];
        var time = new byte[3];

        Dlt645ValueCodec.EncodeDate(when, date, 0);
        Dlt645ValueCodec.EncodeTime(when, time, 0);

        Assert.Equal("02 04 03 25", ToHex(date));
        Assert.Equal("07 06 05", ToHex(time));
        Assert.True(Dlt645ValueCodec.TryDecodeDateTime(date, 0, time, 0, out var decoded));
        Assert.Equal(when, decoded);
    }

    [Fact]
    public void Round_trips_dates_and_times_across_the_century()
    {
        var random = new Random(1997);
        var date = new byte[4];
        var time = new byte[3];
        for (var i = 0; i < 2000; i++)
        {
            var when = new DateTime(2000, 1, 1).AddSeconds(random.NextInt64(0, 100L * 365 * 86400));
            Dlt645ValueCodec.EncodeDate(when, date, 0);
            Dlt645ValueCodec.EncodeTime(when, time, 0);
            Assert.True(Dlt645ValueCodec.TryDecodeDateTime(date, 0, time, 0, out var decoded));
            Assert.Equal(when, decoded);
            Assert.Equal((int)when.DayOfWeek, date[0]);
        }
    }

    [Theory]
    [InlineData("00 30 02 25", "00 00 00")] // 30 February
    [InlineData("00 29 02 25", "00 00 00")] // 2025 is not a leap year
    [InlineData("00 01 13 25", "00 00 00")]
    [InlineData("00 00 01 25", "00 00 00")]
    [InlineData("00 01 01 25", "60 00 00")]
    [InlineData("00 01 01 25", "00 00 24")]
    [InlineData("00 01 01 2A", "00 00 00")]
    public void Rejects_impossible_dates_and_times(string date, string time)
    {
        Assert.False(Dlt645ValueCodec.TryDecodeDateTime(Hex(date), 0, Hex(time), 0, out _));
    }

    [Fact]
    public void Orders_broadcast_time_as_the_profile_says()
    {
        var when = new DateTime(2025, 3, 4, 5, 6, 7);
        var standard = new byte[6];
        var reversed = new byte[6];

        Dlt645ValueCodec.EncodeBroadcastTime(when, Dlt645TimeOrder.SecondsFirst, standard, 0);
        Dlt645ValueCodec.EncodeBroadcastTime(when, Dlt645TimeOrder.YearFirst, reversed, 0);

        Assert.Equal("07 06 05 04 03 25", ToHex(standard));
        Assert.Equal("25 03 04 05 06 07", ToHex(reversed));
        Assert.True(Dlt645ValueCodec.TryDecodeBroadcastTime(standard, 0, Dlt645TimeOrder.SecondsFirst, out var a));
        Assert.True(Dlt645ValueCodec.TryDecodeBroadcastTime(reversed, 0, Dlt645TimeOrder.YearFirst, out var b));
        Assert.Equal(when, a);
        Assert.Equal(when, b);
        Assert.True(Dlt645ValueCodec.TryDecodeBroadcastTime(standard, 0, Dlt645TimeOrder.YearFirst, out var misread));
        Assert.Equal(new DateTime(2007, 6, 5, 4, 3, 25), misread); // why the order must match the meter
    }

    [Fact]
    public void Refuses_years_outside_the_two_digit_century()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Dlt645ValueCodec.EncodeDate(new DateTime(1999, 12, 31), new byte[4], 0));
    }

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
