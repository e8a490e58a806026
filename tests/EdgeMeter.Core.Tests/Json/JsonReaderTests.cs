using System.Text;
using EdgeMeter.Core.Json;

namespace EdgeMeter.Core.Tests.Json;

public class JsonReaderTests
{
    [Theory]
    [InlineData("{\"a\":[1,-2.5e3,\"x\\u0041\\n\",true,false,null],\"b\":{\"c\":\"\\ud83d\\udd0c\"}, \"n\": 123 }")]
    [InlineData("{\"text\":\"commas, colons: [brackets] {braces} and \\\"quotes\\\", inside\",\"x\":[]}")]
    [InlineData("[]")]
    [InlineData("42")]
    public void Counted_tokens_are_enough_to_parse_and_not_many_more(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var counted = JsonReader.CountTokens(bytes, 0, bytes.Length);
        var exact = new JsonReader(bytes.Length, counted, 8);
        Assert.Equal(JsonError.None, exact.Parse(bytes, 0, bytes.Length));
        Assert.InRange(counted - exact.TokenCount, 0, 2); // an empty [] or {} counts one token that is not there
        if (exact.TokenCount > 1)
        {
            Assert.Equal(JsonError.TooManyTokens, new JsonReader(bytes.Length, exact.TokenCount - 1, 8).Parse(bytes, 0, bytes.Length));
        }
    }

    [Fact]
    public void The_largest_configuration_is_counted_at_about_one_token_per_ten_bytes_not_one_per_two()
    {
        var bytes = Encoding.UTF8.GetBytes(TestConfigurations.Largest());
        var counted = JsonReader.CountTokens(bytes, 0, bytes.Length);
        Assert.Equal(JsonError.None, new JsonReader(bytes.Length, counted, 16).Parse(bytes, 0, bytes.Length));
        Assert.True(counted < bytes.Length / 6, $"{counted} tokens for {bytes.Length} bytes");
    }

    [Fact]
    public void A_reader_sized_by_counted_tokens_and_text_parses_whatever_a_full_size_reader_does_alike()
    {
        var random = new Random(7493);
        var seed = Encoding.UTF8.GetBytes("{\"v\":1,\"r\":[{\"m\":\"a\\u00e9\\\"\",\"val\":\"-1.5\",\"q\":[true,false,null]}],\"x\":-0.5e-3,\"é\":\"m³ \\ud83d\\udd0c\"}");
        var full = new JsonReader(256, 256, 8);
        var accepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var input = (byte[])seed.Clone();
            for (var m = random.Next(0, 3); m > 0; m--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            if (full.Parse(input, 0, input.Length) != JsonError.None)
            {
                continue;
            }

            var sized = new JsonReader(input.Length, JsonReader.CountTokens(input, 0, input.Length), 8, JsonReader.CountText(input, 0, input.Length));
            Assert.Equal(JsonError.None, sized.Parse(input, 0, input.Length));
            Assert.Equal(full.TokenCount, sized.TokenCount);
            for (var token = 0; token < full.TokenCount; token++)
            {
                Assert.Equal(full.Kind(token), sized.Kind(token));
                if (full.Kind(token) is JsonKind.String or JsonKind.Number)
                {
                    Assert.Equal(full.GetString(token), sized.GetString(token));
                }
            }

            accepted++;
        }

        Assert.True(accepted > 5000, $"{accepted} accepted");
    }

    [Fact]
    public void The_largest_configurations_text_is_counted_at_well_under_a_character_per_byte()
    {
        var bytes = Encoding.UTF8.GetBytes(TestConfigurations.Largest());
        var text = JsonReader.CountText(bytes, 0, bytes.Length);
        var reader = new JsonReader(bytes.Length, JsonReader.CountTokens(bytes, 0, bytes.Length), 16, text);

        Assert.Equal(JsonError.None, reader.Parse(bytes, 0, bytes.Length));
        Assert.True(text < bytes.Length * 2 / 3, $"{text} characters for {bytes.Length} bytes");
        Assert.Equal(JsonError.TooLong, new JsonReader(bytes.Length, JsonReader.CountTokens(bytes, 0, bytes.Length), 16, text / 2).Parse(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Parses_a_document_into_queryable_tokens()
    {
        var reader = Parse("{\"a\":[1,-2.5e3,\"x\\u0041\\n\",true,false,null],\"b\":{\"c\":\"\\ud83d\\udd0c\"}, \"n\": 123 }", out var error);
        Assert.Equal(JsonError.None, error);
        Assert.Equal(JsonKind.Object, reader.Kind(0));
        Assert.Equal(3, reader.Count(0));

        var a = reader.Find(0, "a");
        Assert.Equal(JsonKind.Array, reader.Kind(a));
        Assert.Equal(6, reader.Count(a));
        var element = reader.FirstChild(a);
        var kinds = new List<JsonKind>();
        var texts = new List<string>();
        for (var i = 0; i < reader.Count(a); i++)
        {
            kinds.Add(reader.Kind(element));
            texts.Add(reader.GetString(element));
            element = reader.Skip(element);
        }

        Assert.Equal(new[] { JsonKind.Number, JsonKind.Number, JsonKind.String, JsonKind.True, JsonKind.False, JsonKind.Null }, kinds);
        Assert.Equal("-2.5e3", texts[1]);
        Assert.Equal("xA\n", texts[2]);
        Assert.Equal("\U0001F50C", reader.GetString(reader.Find(reader.Find(0, "b"), "c")));
        Assert.True(reader.TryGetInt64(reader.Find(0, "n"), out var n));
        Assert.Equal(123, n);
        Assert.Equal(-1, reader.Find(0, "missing"));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"seq\":1,\"s\\u0065q\":2}")]
    [InlineData("{\"x\":{\"b\":1,\"c\":2,\"b\":3}}")]
    [InlineData("[{\"k\":[1,2,{\"d\":1}],\"j\":0,\"k\":1}]")]
    public void Refuses_duplicate_member_names_even_when_escaped(string json)
    {
        Parse(json, out var error);
        Assert.Equal(JsonError.DuplicateKey, error);
    }

    [Fact]
    public void Same_names_in_different_objects_are_not_duplicates()
    {
        Parse("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}", out var error);
        Assert.Equal(JsonError.None, error);
    }

    [Theory]
    [InlineData("", JsonError.UnexpectedEnd)]
    [InlineData("{", JsonError.UnexpectedEnd)]
    [InlineData("{\"a\":1,}", JsonError.UnexpectedCharacter)]
    [InlineData("[1,]", JsonError.UnexpectedCharacter)]
    [InlineData("[1 2]", JsonError.UnexpectedCharacter)]
    [InlineData("{'a':1}", JsonError.UnexpectedCharacter)]
    [InlineData("{\"a\" 1}", JsonError.UnexpectedCharacter)]
    [InlineData("[01]", JsonError.UnexpectedCharacter)]
    [InlineData("[1.]", JsonError.BadNumber)]
    [InlineData("[-]", JsonError.BadNumber)]
    [InlineData("[1e]", JsonError.BadNumber)]
    [InlineData("[+1]", JsonError.UnexpectedCharacter)]
    [InlineData("[NaN]", JsonError.UnexpectedCharacter)]
    [InlineData("[tru]", JsonError.UnexpectedCharacter)]
    [InlineData("[tru", JsonError.UnexpectedEnd)]
    [InlineData("[\"a\\x\"]", JsonError.BadEscape)]
    [InlineData("[\"a\\u12\"]", JsonError.BadEscape)]
    [InlineData("[\"\\udc00\"]", JsonError.LoneSurrogate)]
    [InlineData("[\"\\ud800x\"]", JsonError.LoneSurrogate)]
    [InlineData("[\"\\ud800\\u0041\"]", JsonError.LoneSurrogate)]
    [InlineData("[\"tab\there\"]", JsonError.ControlCharacter)]
    [InlineData("{} x", JsonError.TrailingData)]
    [InlineData("{}{}", JsonError.TrailingData)]
    [InlineData("[[[[[[[[[1]]]]]]]]]", JsonError.TooDeep)]
    public void Reports_what_is_wrong(string json, JsonError expected)
    {
        Parse(json, out var error);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Refuses_invalid_utf8_inside_strings()
    {
        var bytes = new byte[] { (byte)'[', (byte)'"', 0xC0, 0x80, (byte)'"', (byte)']' };
        var reader = new JsonReader(64, 16, 4);
        Assert.Equal(JsonError.BadUtf8, reader.Parse(bytes, 0, bytes.Length));
        Assert.Equal(2, reader.ErrorOffset);
    }

    [Fact]
    public void Enforces_token_and_size_limits()
    {
        var reader = new JsonReader(64, 4, 4);
        var many = Encoding.ASCII.GetBytes("[1,2,3,4,5]");
        Assert.Equal(JsonError.TooManyTokens, reader.Parse(many, 0, many.Length));
        var big = Encoding.ASCII.GetBytes("\"" + new string('a', 80) + "\"");
        Assert.Equal(JsonError.TooLong, reader.Parse(big, 0, big.Length));
    }

    [Fact]
    public void Integers_are_read_only_when_exact_and_in_range()
    {
        var reader = Parse("[9223372036854775807,-9223372036854775808,9223372036854775808,1.0,1e2,-0]", out _);
        var token = reader.FirstChild(0);
        var results = new List<long?>();
        for (var i = 0; i < reader.Count(0); i++)
        {
            results.Add(reader.TryGetInt64(token, out var value) ? value : null);
            token = reader.Skip(token);
        }

        Assert.Equal(new long?[] { long.MaxValue, long.MinValue, null, null, null, 0 }, results);
    }

    [Fact]
    public void Never_throws_on_random_or_mutated_input_and_agrees_with_the_platform_on_validity()
    {
        var random = new Random(8259);
        var seed = Encoding.UTF8.GetBytes("{\"v\":1,\"r\":[{\"m\":\"a\\u00e9\",\"val\":\"-1.5\",\"q\":[true,false,null]}],\"x\":-0.5e-3,\"é\":\"m³\"}");
        var reader = new JsonReader(256, 128, 8);
        var agreements = 0;
        for (var i = 0; i < 20000; i++)
        {
            byte[] input;
            if (i % 4 == 0)
            {
                input = new byte[random.Next(0, 40)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])seed.Clone();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            var error = reader.Parse(input, 0, input.Length);
            Assert.True(reader.ErrorOffset >= 0 && reader.ErrorOffset <= input.Length);

            // System.Text.Json allows duplicates and lone surrogate escapes, and checks UTF-8 in strings only when
            // they are read; compare only where both apply the same rules (Utf8Tests cover UTF-8 validity).
            if (error is JsonError.DuplicateKey or JsonError.LoneSurrogate or JsonError.BadUtf8)
            {
                continue;
            }

            var platformAccepts = PlatformAccepts(input);
            Assert.True(platformAccepts == (error == JsonError.None), $"{Convert.ToHexString(input)}: ours {error}, platform {platformAccepts}");
            agreements++;
        }

        Assert.True(agreements > 15000);
    }

    private static bool PlatformAccepts(byte[] input)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(input, new System.Text.Json.JsonDocumentOptions { MaxDepth = 8 });
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static JsonReader Parse(string json, out JsonError error)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new JsonReader(256, 64, 8);
        error = reader.Parse(bytes, 0, bytes.Length);
        return reader;
    }
}
