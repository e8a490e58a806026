using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;

namespace EdgeMeter.Host.Tests.Cli;

/// <summary>`read` and `scan` against a Modbus TCP server: the simulator serving its Modbus devices as a PLC would.</summary>
public sealed class ModbusTcpCliTests : IDisposable
{
    private readonly TestSimulator _sim = TestSimulator.Start(["modbus:1", "modbus:7", "dlt645:123456789012"], modbusTcp: true);

    public void Dispose() => _sim.Dispose();

    [Fact]
    public void Read_takes_a_float_over_modbus_tcp()
    {
        Assert.StartsWith("modbus-tcp://127.0.0.1:", _sim.Link, StringComparison.Ordinal);

        var run = CliRun.Of("read", "--link", _sim.Link, "--meter", "modbus:7", "--register", "0", "--type", "float32", "--function", "4", "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(_sim.Value("modbus:7", Quantity.VoltageA).ToString(), json.RootElement.GetProperty("value").GetRawText());
    }

    [Fact]
    public void Scan_finds_the_modbus_units_behind_the_server_in_one_pass()
    {
        var run = CliRun.Of("scan", "--link", _sim.Link, "--units", "1-8", "--function", "4", "--timeout-ms", "200");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Contains("a Modbus TCP server: Modbus units only, one pass", run.Out, StringComparison.Ordinal);
        Assert.Contains("modbus:1", run.Out, StringComparison.Ordinal);
        Assert.Contains("modbus:7", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("modbus:2 ", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("dlt645", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read", "--meter", "dlt645:123456789012", "--di", "02010100")]
    [InlineData("scan", "--protocol", "dlt645")]
    public void Dlt645_over_a_modbus_tcp_server_is_refused_by_name(params string[] args)
    {
        var run = CliRun.Of([args[0], "--link", _sim.Link, .. args[1..]]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("is a Modbus TCP server: it carries Modbus only", run.Error, StringComparison.Ordinal);
    }
}
