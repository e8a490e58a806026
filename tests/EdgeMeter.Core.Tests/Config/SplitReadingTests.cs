using System.Text;
using System.Text.Json;
using EdgeMeter.Core.Config;

namespace EdgeMeter.Core.Tests.Config;

/// <summary>
/// A configuration read a meter at a time (the way a board reads it) must give exactly what reading the whole file
/// gives: the same settings, the same errors in the same order, for valid files, broken ones and odd shapes.
/// </summary>
public class SplitReadingTests
{
    private const string Minimal = """
        {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},
         "buses":[{"id":"bus1","link":"tcp://127.0.0.1:4001"}],
         "meters":[{"id":"m1","bus":"bus1","protocol":"dlt645","address":"123456789012","pollSeconds":60,
                    "points":[{"id":"energy","di":"00010000"}]},
                   {"id":"m2","bus":"bus1","protocol":"dlt645","address":"123456789013","pollSeconds":60,
                    "points":[{"id":"energy","di":"00010000","unit":"kWh"}]}]}
        """;

    public static TheoryData<string> Shapes => new(
        Minimal,
        Minimal.Replace("\"meters\":[", "\"meters\":[ 5, ", StringComparison.Ordinal),                 // an element that is no object
        Minimal.Replace("}]}\n", "}] , \"upload\":{\"intervalSeconds\":30}}\n", StringComparison.Ordinal), // a member after the meters
        Minimal.Replace("}]},", "}] },", StringComparison.Ordinal),
        Minimal.Replace("\"meters\":[", "\"meters\":[]", StringComparison.Ordinal),                    // broken: not split
        Minimal.Replace("\"meters\":[", "\"met\\u0065rs\":[", StringComparison.Ordinal),              // an escaped name: read whole
        Minimal.Replace("\"mqtt\":{", "\"mqtt\":{\"meters\":[1],", StringComparison.Ordinal),         // "meters" deeper down
        Minimal.Replace("{\"schema\":1,", "{\"schema\":1,\"meters\":[],", StringComparison.Ordinal),   // two "meters": a duplicate
        Minimal.Replace("}]},\n", "}]}\n", StringComparison.Ordinal),                                  // a missing comma between meters
        Minimal.Replace("\"m2\"", "\"m1\"", StringComparison.Ordinal),                                 // a duplicate meter id
        Minimal.Replace("\"pollSeconds\":60", "\"pollSeconds\":61", StringComparison.Ordinal),
        Minimal.Replace("\"id\":\"m1\"", "\"id\":\"m1\",\"id\":\"m9\"", StringComparison.Ordinal),    // a duplicate key inside a meter
        Minimal[..^20],                                                                                 // cut short
        "{\"meters\":[{}],\"meters\":[{}]}",
        "{\"meters\":[\"a,]\\\"\",{}]}",
        "[{\"meters\":[{}]}]",
        "{\"meters\":{\"a\":[{}]}}",
        "{\"meters\":[,]}",
        "{\"meters\":[{},]}",
        "{\"meters\":[{}] ");

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Reading_a_meter_at_a_time_gives_what_reading_the_whole_file_gives(string json) => AssertSame(Encoding.UTF8.GetBytes(json));

    [Theory]
    [MemberData(nameof(GatewayConfigReaderTests.Examples), MemberType = typeof(GatewayConfigReaderTests))]
    public void Every_example_reads_the_same_either_way(string file) =>
        AssertSame(File.ReadAllBytes(Repo.PathOf(Path.Combine("examples", file))));

    [Fact]
    public void The_largest_configuration_is_split_into_its_meters_and_reads_the_same()
    {
        var bytes = Encoding.UTF8.GetBytes(TestConfigurations.Largest());
        var split = MetersSplit.Find(new ArrayByteSource(bytes, bytes.Length));

        Assert.NotNull(split);
        var config = AssertSame(bytes);
        Assert.Equal(config!.Meters.Length, split!.Count);
        Assert.Contains("\"DataIdentifier\":", Describe(config), StringComparison.Ordinal); // the comparison sees down to the points
    }

    [Fact]
    public void Mutated_files_read_the_same_either_way()
    {
        var random = new Random(188);
        var seed = Encoding.UTF8.GetBytes(Minimal);
        var structural = "{}[],:\" \\5".Select(c => (byte)c).ToArray();
        var split = 0;
        for (var i = 0; i < 3000; i++)
        {
            var input = (byte[])seed.Clone();
            for (var m = random.Next(1, 3); m > 0; m--)
            {
                input[random.Next(input.Length)] = random.Next(2) == 0 ? structural[random.Next(structural.Length)] : (byte)random.Next(256);
            }

            AssertSame(input);
            split += MetersSplit.Find(new ArrayByteSource(input, input.Length)) != null ? 1 : 0;
        }

        Assert.True(split > 1000, $"only {split} of 3000 mutated files were split");
    }

    [Fact]
    public void An_escape_or_a_bracket_in_a_string_splits_the_same_wherever_the_file_is_cut_into_pieces()
    {
        for (var shift = 0; shift < 300; shift++)
        {
            // The pieces are 256 bytes: somewhere in these 300 files every byte of the tricky strings lands on an edge.
            var password = new string('x', shift) + "\\\"],[{\\\\";
            var json = Minimal.Replace("\"host\":\"127.0.0.1\"", "\"host\":\"127.0.0.1\",\"password\":\"" + password + "\"", StringComparison.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(json);

            Assert.NotNull(MetersSplit.Find(new ArrayByteSource(bytes, bytes.Length)));
            var config = AssertSame(bytes);
            Assert.Equal(2, config!.Meters.Length);
            Assert.EndsWith("\"],[{\\", config.Mqtt.Password, StringComparison.Ordinal);
        }
    }

    private static GatewayConfig? AssertSame(byte[] bytes)
    {
        var source = new ArrayByteSource(bytes, bytes.Length);
        var whole = GatewayConfigReader.ReadWhole(source, out var wholeErrors);
        var pieces = GatewayConfigReader.Read(source, out var pieceErrors);

        Assert.Equal(wholeErrors, pieceErrors);
        Assert.Equal(Describe(whole), Describe(pieces));
        return pieces;
    }

    private static string Describe(GatewayConfig? config) => config == null ? "null" : JsonSerializer.Serialize(config);
}
