using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Cli;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Cli;

public class ReadVerbTests : IDisposable
{
    private readonly TestSimulator _sim = TestSimulator.Start(["dlt645:123456789012", "dlt645-1997:000000001997", "modbus:1"]);

    public void Dispose() => _sim.Dispose();

    [Fact]
    public void Reads_a_dlt645_2007_voltage_as_value_and_unit()
    {
        var run = Read("--meter", "dlt645:123456789012", "--di", "02010100");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"{_sim.Value("dlt645:123456789012", Quantity.VoltageA)} V", run.Out.Trim());
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Json_has_the_exact_value_as_a_number_and_the_unit()
    {
        var run = Read("--meter", "dlt645:123456789012", "--di", "00010000", "--json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("value").ValueKind);
        Assert.Equal(_sim.Value("dlt645:123456789012", Quantity.ForwardActiveEnergy).ToString(), root.GetProperty("value").GetRawText());
        Assert.Equal("kWh", root.GetProperty("unit").GetString());
        Assert.Equal("00010000", root.GetProperty("di").GetString());
        Assert.Equal("dlt645:123456789012", root.GetProperty("meter").GetString());
        Assert.Equal("ok", root.GetProperty("status").GetString());
    }

    [Fact]
    public void Reads_a_block_with_all_its_elements()
    {
        var run = Read("--meter", "dlt645:123456789012", "--di", "0001FF00", "--json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var elements = json.RootElement.GetProperty("elements").EnumerateArray().Select(e => e.GetDecimal()).ToArray();
        Assert.Equal(5, elements.Length);
        Assert.Equal(elements[0], elements[1..].Sum());
        Assert.Equal(elements[0], json.RootElement.GetProperty("value").GetDecimal());
    }

    [Fact]
    public void Reads_a_dlt645_1997_meter_and_its_clock()
    {
        var voltage = Read("--meter", "dlt645-1997:000000001997", "--di", "B611");
        Assert.Equal(ExitCodes.Ok, voltage.ExitCode);
        Assert.Matches(@"^2[12]\d V$", voltage.Out.Trim());

        var meter = _sim.Simulator.Dlt645Meter(MeterSpec.Parse("dlt645-1997:000000001997"));
        var time = Read("--meter", "dlt645-1997:000000001997", "--di", "C011");
        Assert.Equal(meter.LocalTime(_sim.Clock.UtcNow).ToString("HH:mm:ss"), time.Out.Trim());
    }

    [Fact]
    public void Reads_a_modbus_float_from_the_sdm630_input_registers_with_its_unit()
    {
        var run = Read("--meter", "modbus:1", "--register", "0", "--type", "float32", "--function", "4", "--json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(_sim.Value("modbus:1", Quantity.VoltageA).ToString(), json.RootElement.GetProperty("value").GetRawText());
        Assert.Equal("V", json.RootElement.GetProperty("unit").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("function").GetInt32());
    }

    [Theory]
    [InlineData("0x1100", "int16", "big", "-12345")]
    [InlineData("0x1101", "uint16", "big", "54321")]
    [InlineData("0x1104", "int32", "little", "-123456789")]
    [InlineData("0x1106", "uint32", "big", "3456789012")]
    [InlineData("0x110C", "float32", "little", "-1234.5")]
    [InlineData("0x110E", "int64", "big", "-123456789012345678")]
    [InlineData("0x111A", "uint64", "little", "876543210987654321")]
    [InlineData("0x1122", "float64", "little", "-98765.4321")]
    public void Reads_every_modbus_type_in_both_word_orders(string register, string type, string order, string expected)
    {
        var run = Read("--meter", "modbus:1", "--register", register, "--type", type, "--word-order", order);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(expected, run.Out.Trim());
    }

    [Fact]
    public void Integer_registers_take_the_maps_scale_or_the_given_decimals()
    {
        var energy = _sim.Value("modbus:1", Quantity.ForwardActiveEnergy);
        var mapped = Read("--meter", "modbus:1", "--register", "0x1000", "--type", "uint32");
        Assert.Equal($"{energy} kWh", mapped.Out.Trim());

        var raw = Read("--meter", "modbus:1", "--register", "0x1000", "--type", "uint32", "--decimals", "0", "--unit", "cWh");
        Assert.Equal($"{energy.Mantissa} cWh", raw.Out.Trim());
    }

    [Fact]
    public void A_meter_that_does_not_answer_is_a_timeout()
    {
        var run = Read("--meter", "modbus:9", "--register", "0", "--timeout-ms", "150");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("timeout", run.Error, StringComparison.Ordinal);
        Assert.StartsWith("edgemeter: error: modbus:9 did not answer", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_di_read_raw_names_the_meters_error()
    {
        var run = Read("--meter", "dlt645:123456789012", "--di", "0400FFFF", "--raw");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("error reply: no requested data", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_modbus_exception_is_named()
    {
        var run = Read("--meter", "modbus:1", "--register", "0x3000");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("exception 02: illegal data address", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Faults_become_clear_failures()
    {
        using var sim = TestSimulator.Start(
            ["dlt645:123456789012", "modbus:1", "modbus:2"],
            ["bad-checksum@dlt645:123456789012", "error-reply@modbus:1", "slow=400@modbus:2"]);
        CliRun Run(params string[] args) => CliRun.Of(["read", "--link", sim.Link, .. args]);

        var checksum = Run("--meter", "dlt645:123456789012", "--di", "02010100");
        Assert.Equal(ExitCodes.Failure, checksum.ExitCode);
        Assert.Contains("(bad checksum)", checksum.Error, StringComparison.Ordinal);

        var error = Run("--meter", "modbus:1", "--register", "0", "--type", "float32", "--function", "4");
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Contains("exception 04: server device failure", error.Error, StringComparison.Ordinal);

        var slow = Run("--meter", "modbus:2", "--register", "0", "--function", "4", "--timeout-ms", "100");
        Assert.Equal(ExitCodes.Failure, slow.ExitCode);
        Assert.Contains("within 100 ms (timeout)", slow.Error, StringComparison.Ordinal);

        var patient = Run("--meter", "modbus:2", "--register", "0", "--type", "float32", "--function", "4", "--timeout-ms", "3000");
        Assert.Equal(ExitCodes.Ok, patient.ExitCode);
    }

    [Fact]
    public void An_unreachable_link_is_a_failure_naming_the_link()
    {
        var port = FreePort.Next();
        var run = CliRun.Of("read", "--link", $"tcp://127.0.0.1:{port}", "--meter", "modbus:1", "--register", "0");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"tcp://127.0.0.1:{port}: cannot connect", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown DI", "--meter", "dlt645:123456789012", "--di", "02019900")]
    [InlineData("must be 8 hex digits", "--meter", "dlt645:123456789012", "--di", "B611")]
    [InlineData("must be 4 hex digits", "--meter", "dlt645-1997:000000001997", "--di", "02010100")]
    [InlineData("needs --di", "--meter", "dlt645:123456789012")]
    [InlineData("--register is for Modbus meters", "--meter", "dlt645:123456789012", "--di", "02010100", "--register", "1")]
    [InlineData("--di is for DL/T 645 meters", "--meter", "modbus:1", "--di", "02010100", "--register", "1")]
    [InlineData("needs --register", "--meter", "modbus:1")]
    [InlineData("12 decimal digits", "--meter", "dlt645:1234", "--di", "02010100")]
    [InlineData("unknown protocol", "--meter", "iec62056:1", "--di", "02010100")]
    [InlineData("--type 'float16'", "--meter", "modbus:1", "--register", "0", "--type", "float16")]
    [InlineData("--function 6", "--meter", "modbus:1", "--register", "0", "--function", "6")]
    [InlineData("--word-order 'middle'", "--meter", "modbus:1", "--register", "0", "--word-order", "middle")]
    [InlineData("register '70000'", "--meter", "modbus:1", "--register", "70000")]
    [InlineData("passes 65535", "--meter", "modbus:1", "--register", "65535", "--type", "float32")]
    [InlineData("--decimals 19", "--meter", "modbus:1", "--register", "0", "--type", "float32", "--decimals", "19")]
    [InlineData("--decimals -1", "--meter", "modbus:1", "--register", "0", "--decimals", "-1")]
    [InlineData("--timeout-ms 0", "--meter", "modbus:1", "--register", "0", "--timeout-ms", "0")]
    [InlineData("--timeout-ms", "--meter", "modbus:1", "--register", "0", "--timeout-ms", "soon")]
    public void Bad_command_lines_are_usage_errors(string expected, params string[] args)
    {
        var run = Read(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var message = expected == "unknown DI" ? "is not in the DL/T 645-2007 catalogue" : expected;
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.StartsWith("edgemeter: error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp:/127.0.0.1", "must start with serial://, tcp:// or modbus-tcp://")]
    [InlineData("tcp://127.0.0.1", "is not tcp://HOST:PORT")]
    [InlineData("serial:///dev/ttyUSB0?baud=fast", "baud=fast")]
    public void A_bad_link_is_a_usage_error(string link, string expected)
    {
        var run = CliRun.Of("read", "--link", link, "--meter", "modbus:1", "--register", "0");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    private CliRun Read(params string[] args) => CliRun.Of(["read", "--link", _sim.Link, .. args]);
}
