using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;

namespace EdgeMeter.Host.Tests.Cli;

/// <summary>`read` and `scan` of CJ/T 188 water, gas and heat meters on the simulator's line, beside a DL/T 645 meter.</summary>
public sealed class Cjt188CliTests : IDisposable
{
    private const string Water = "cjt188-water:00002020120218";
    private const string Gas = "cjt188-gas:00000000000031";
    private const string Heat = "cjt188-heat:00312718241912";
    private readonly TestSimulator _sim = TestSimulator.Start([Water, Gas, Heat, "dlt645:123456789012"]);

    public void Dispose() => _sim.Dispose();

    [Theory]
    [InlineData(Water, "901F", Quantity.WaterTotal, "m3")]
    [InlineData(Gas, "1F90", Quantity.GasTotal, "m3")]
    [InlineData(Heat, "1F90", Quantity.HeatTotal, "GJ")]
    public void Reads_each_meters_total_exactly(string meter, string diOrder, Quantity quantity, string unit)
    {
        var run = CliRun.Of("read", "--link", _sim.Link, "--meter", meter, "--di-order", diOrder, "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var total = _sim.Value(meter, quantity);
        var expected = new EdgeMeter.Core.Values.FixedDecimal(total.Mantissa * (total.Scale == 0 ? 100 : 1) % 100_000_000, 2); // the meter's 6-digit register
        Assert.Equal(decimal.Parse(expected.ToString(), System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("value").GetDecimal());
        Assert.Equal(unit, json.RootElement.GetProperty("unit").GetString());
    }

    [Fact]
    public void Reads_a_heat_meters_temperatures()
    {
        var run = CliRun.Of("read", "--link", _sim.Link, "--meter", Heat, "--field", "return-temperature");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Equal($"{_sim.Value(Heat, Quantity.ReturnTemperature)} degC", run.Out.Trim());
    }

    [Theory]
    [InlineData("--meter", Water, "--field", "heat", "is not reported by a CJ/T 188 water meter (known: total, settlement-total)")]
    [InlineData("--meter", Water, "--di-order", "901f", "--di-order '901f' must be 901F or 1F90")]
    [InlineData("--meter", Water, "--register", "0", "--register is for Modbus meters")]
    [InlineData("--meter", "cjt188-water:123", "a CJ/T 188 address is 14 hex digits")]
    public void Bad_command_lines_are_usage_errors(params string[] args)
    {
        var run = CliRun.Of(["read", "--link", _sim.Link, .. args[..^1]]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(args[^1], run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_meter_that_is_not_there_times_out_with_exit_1()
    {
        var run = CliRun.Of("read", "--link", _sim.Link, "--meter", "cjt188-water:00000000000099", "--timeout-ms", "300");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("did not answer current data (901FH) within 300 ms", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_finds_a_meter_alone_on_its_line_by_read_address()
    {
        using var alone = TestSimulator.Start([Water]);

        var run = CliRun.Of("scan", "--link", alone.Link, "--protocol", "cjt188");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Contains(Water, run.Out, StringComparison.Ordinal);
        Assert.Contains("type cold-water", run.Out, StringComparison.Ordinal);
    }
}
