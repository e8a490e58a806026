using System.Text;
using EdgeMeter.Core.Json;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Json;

public class JsonWriterTests
{
    [Fact]
    public void Writes_compact_json_in_the_order_given()
    {
        var json = new JsonWriter(256);
        json.BeginObject();
        json.Name("v");
        json.Number(1);
        json.Name("list");
        json.BeginArray();
        json.Number(-42);
        json.Boolean(true);
        json.Null();
        json.BeginObject();
        json.EndObject();
        json.EndArray();
        json.Name("s");
        json.String("x");
        json.EndObject();
        Assert.Equal("{\"v\":1,\"list\":[-42,true,null,{}],\"s\":\"x\"}", Text(json));
    }

    [Fact]
    public void Escapes_minimally_and_writes_other_characters_as_utf8()
    {
        var json = new JsonWriter(256);
        json.String("q\"b\\/\b\f\n\r\t\u0001\u001f m³ \U0001F50C \uD800");
        Assert.Equal("\"q\\\"b\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f m³ \U0001F50C \uFFFD\"", Text(json));
    }

    [Fact]
    public void Writes_every_decimal_exactly_as_FixedDecimal_formats_it()
    {
        var random = new Random(1234);
        var json = new JsonWriter(64);
        var cases = new List<FixedDecimal> { new(0, 0), new(long.MinValue, 0), new(long.MaxValue, 18), new(long.MinValue, 18), new(-5, 3) };
        for (var i = 0; i < 2000; i++)
        {
            var mantissa = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 63);
            cases.Add(new FixedDecimal(mantissa, random.Next(0, FixedDecimal.MaxScale + 1)));
        }

        foreach (var value in cases)
        {
            json.Reset();
            json.Decimal(value);
            Assert.Equal("\"" + value + "\"", Text(json));
            Assert.True(PacketText.TryParseDecimal(value.ToString(), out var parsed), value.ToString());
            Assert.Equal(value, parsed);
        }
    }

    [Fact]
    public void Writes_times_as_utc_seconds()
    {
        var json = new JsonWriter(64);
        json.Time(new DateTime(2025, 3, 1, 8, 5, 9, 999, DateTimeKind.Utc));
        Assert.Equal("\"2025-03-01T08:05:09Z\"", Text(json));
        Assert.Equal("0001-01-01T00:00:00Z", PacketText.FormatTime(DateTime.MinValue));
    }

    [Fact]
    public void Overflow_is_reported_and_a_mark_rolls_it_back()
    {
        var json = new JsonWriter(16);
        json.BeginArray();
        json.Number(1);
        var mark = json.Mark();
        json.String("this does not fit");
        Assert.True(json.Overflowed);
        json.Restore(mark);
        Assert.False(json.Overflowed);
        json.Number(2);
        json.EndArray();
        Assert.Equal("[1,2]", Text(json));
    }

    [Fact]
    public void A_multibyte_character_that_does_not_fit_is_not_written_in_part()
    {
        var json = new JsonWriter(3);
        json.String("€");
        Assert.True(json.Overflowed);
        Assert.Equal(1, json.Length);
    }

    internal static string Text(JsonWriter json) => Encoding.UTF8.GetString(json.Buffer, 0, json.Length);
}

public class PacketTextTests
{
    [Theory]
    [InlineData("2025-03-01T08:00:00Z", 2025, 3, 1, 8, 0, 0)]
    [InlineData("2024-02-29T23:59:59Z", 2024, 2, 29, 23, 59, 59)]
    [InlineData("1970-01-01T00:00:12Z", 1970, 1, 1, 0, 0, 12)]
    [InlineData("3000-12-31T23:59:59Z", 3000, 12, 31, 23, 59, 59)]
    public void Parses_packet_times_as_utc(string text, int year, int month, int day, int hour, int minute, int second)
    {
        Assert.True(PacketText.TryParseTime(text, out var time));
        Assert.Equal(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc), time);
        Assert.Equal(DateTimeKind.Utc, time.Kind);
        Assert.Equal(text, PacketText.FormatTime(time));
    }

    [Theory]
    [InlineData("2025-03-01T08:00:00")]
    [InlineData("2025-03-01T08:00:00+08:00")]
    [InlineData("2025-03-01T08:00:00.000Z")]
    [InlineData("2025-02-29T08:00:00Z")]
    [InlineData("2025-13-01T08:00:00Z")]
    [InlineData("2025-03-01T24:00:00Z")]
    [InlineData("2025-03-01 08:00:00Z")]
    [InlineData("0000-03-01T08:00:00Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("3001-01-01T00:00:00Z")]
    [InlineData("2025-03-01T08:00:60Z")]
    [InlineData("+025-03-01T08:00:00Z")]
    public void Rejects_other_time_forms(string text)
    {
        Assert.False(PacketText.TryParseTime(text, out _));
    }

    [Theory]
    [InlineData("0", 0L, 0)]
    [InlineData("0.005", 5L, 3)]
    [InlineData("-12.340", -12340L, 3)]
    [InlineData("92233720368547758.07", long.MaxValue, 2)]
    [InlineData("-9223372036854775808", long.MinValue, 0)]
    [InlineData("0.000000000000000001", 1L, 18)]
    public void Parses_exact_decimals(string text, long mantissa, int scale)
    {
        Assert.True(PacketText.TryParseDecimal(text, out var value));
        Assert.Equal(new FixedDecimal(mantissa, scale), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("-0")]
    [InlineData("-0.000")]
    [InlineData("007")]
    [InlineData("+1")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData(" 1")]
    [InlineData("9223372036854775808")]
    [InlineData("0.0000000000000000001")]
    public void Rejects_other_decimal_forms(string text)
    {
        Assert.False(PacketText.TryParseDecimal(text, out _));
    }
}
