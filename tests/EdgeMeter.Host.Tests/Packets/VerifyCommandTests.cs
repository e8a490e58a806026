using System.Text;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Cli;

namespace EdgeMeter.Host.Tests.Packets;

/// <summary>`edgemeter verify`, run in-process against every shared vector and the usage errors.</summary>
public class VerifyCommandTests
{
    private static readonly string VectorsPath = Path.Combine(AppContext.BaseDirectory, "vectors", "packets.json");

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var vector in Vectors())
        {
            names.Add((string)vector["name"]!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Verifies_the_vector_as_recorded(string name)
    {
        var vector = Vectors().Single(v => (string)v["name"]! == name);
        var (exit, output, error) = Run("verify", "--key", (string)vector["key"]!, "--topic", (string)vector["topic"]!, "--now", (string)vector["now"]!, (string)vector["packet"]!);
        if ((bool)vector["valid"]!)
        {
            Assert.True(exit == 0, error);
            Assert.Equal("", error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("valid " + (string)vector["payload"]!["k"]! + " packet: gateway " + (string)vector["payload"]!["gw"]!, lines[0]);
            Assert.StartsWith("header: {", lines[1]);
            Assert.StartsWith("payload: ", lines[2]);
            Assert.True(JsonNode.DeepEquals(vector["payload"], JsonNode.Parse(lines[2]["payload: ".Length..])));
        }
        else
        {
            Assert.Equal(ExitCodes.Failure, exit);
            Assert.Equal("", output);
            Assert.Equal($"edgemeter: error: invalid packet ({(string)vector["error"]!}): {(string)vector["reason"]!}\n", error);
        }
    }

    [Fact]
    public void Prints_header_and_payload_of_a_valid_packet()
    {
        var vector = Vector("up-single-reading");
        var (exit, output, _) = Run("verify", "--key", (string)vector["key"]!, (string)vector["packet"]!);
        Assert.Equal(0, exit);
        Assert.Equal(
            "valid up packet: gateway gw-0001, key version 1, seq 1001\n"
            + "header: {\"alg\":\"HS256\",\"kid\":\"gw-0001.1\"}\n"
            + "payload: {\"v\":1,\"k\":\"up\",\"gw\":\"gw-0001\",\"seq\":1001,\"ts\":\"2025-05-31T23:59:00Z\",\"r\":[{\"n\":100101,\"m\":\"000012345678\",\"p\":\"00010000\",\"t\":\"2025-05-31T23:45:00Z\",\"val\":\"12345.67\",\"u\":\"kWh\",\"q\":[]}]}\n",
            output);
    }

    [Fact]
    public void Uses_a_key_registry_file_and_names_unknown_keys()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edgemeter-keys-{Guid.NewGuid():N}.json");
        var gateway1 = (string)Vector("up-single-reading")["key"]!;
        var gateway1Version2 = (string)Vector("up-rotated-key-version-2")["key"]!;
        File.WriteAllText(file, $$"""
            {"keys": [
              {"gatewayId": "gw-0001", "keyVersion": 1, "key": "{{gateway1}}"},
              {"gatewayId": "gw-0001", "keyVersion": 2, "key": "{{gateway1Version2}}"}
            ]}
            """);
        try
        {
            Assert.Equal(0, Run("verify", "--keys", file, (string)Vector("up-single-reading")["packet"]!).Exit);
            Assert.Equal(0, Run("verify", "--keys", file, (string)Vector("up-rotated-key-version-2")["packet"]!).Exit);
            var (exit, _, error) = Run("verify", "--keys", file, (string)Vector("up-other-gateway")["packet"]!);
            Assert.Equal(ExitCodes.Failure, exit);
            Assert.Equal("edgemeter: error: invalid packet (UnknownKey): no key registered for kid \"gw-0002.1\"\n", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Reads_the_packet_from_standard_input()
    {
        var vector = Vector("reply-ok");
        var previous = Console.In;
        Console.SetIn(new StringReader((string)vector["packet"]! + "\n"));
        try
        {
            var (exit, output, error) = Run("verify", "--key", (string)vector["key"]!, "-");
            Assert.True(exit == 0, error);
            Assert.StartsWith("valid reply packet: gateway gw-0001, key version 1, seq 1007", output);
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Theory]
    [InlineData("edgemeter: error: give exactly one of --key HEX and --keys FILE")]
    [InlineData("edgemeter: error: give exactly one of --key HEX and --keys FILE", "--key", "K", "--keys", "x.json")]
    [InlineData("edgemeter: error: --key must be hex of at least 32 bytes (64 hex digits)", "--key", "00ff")]
    [InlineData("edgemeter: error: --topic \"edgemeter/v1/+/up\" is not edgemeter/v1/<gatewayId>/(up|status|down|reply)", "--key", "K", "--topic", "edgemeter/v1/+/up")]
    [InlineData("edgemeter: error: --now: cannot read \"soon\" as a time (use 2025-06-01T00:00:00Z)", "--key", "K", "--now", "soon")]
    [InlineData("edgemeter: error: key file /nonexistent/keys.json: Could not find a part of the path '/nonexistent/keys.json'.", "--keys", "/nonexistent/keys.json")]
    public void Usage_errors_exit_2_with_one_line(string expected, params string[] options)
    {
        var key = (string)Vector("up-single-reading")["key"]!;
        var args = new[] { "verify" }.Concat(options.Select(o => o == "K" ? key : o)).Append((string)Vector("up-single-reading")["packet"]!).ToArray();
        var (exit, output, error) = Run(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Equal(expected + "\n", error);
    }

    [Fact]
    public void A_malformed_key_file_is_a_usage_error_naming_the_problem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edgemeter-keys-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{\"keys\":[{\"gatewayId\":\"gw-0001\",\"keyVersion\":1,\"key\":\"00\"}]}");
        try
        {
            var (exit, _, error) = Run("verify", "--keys", file, "x.y.z");
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Equal($"edgemeter: error: key file {file}: keys[0]: \"key\" must be hex of at least 32 bytes\n", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = EdgeMeterCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static JsonObject Vector(string name) => Vectors().Single(v => (string)v["name"]! == name);

    private static List<JsonObject> Vectors() =>
        JsonNode.Parse(File.ReadAllText(VectorsPath, Encoding.UTF8))!.AsArray().Select(v => v!.AsObject()).ToList();
}
