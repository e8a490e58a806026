using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Cli;
using EdgeMeter.Host.Tests.Support;

namespace EdgeMeter.Host.Tests.Cli;

public class ScanVerbTests
{
    [Fact]
    public void Finds_the_default_meters_of_all_three_kinds()
    {
        using var sim = TestSimulator.Start();
        var run = CliRun.Of("scan", "--link", sim.Link, "--units", "1-4", "--timeout-ms", "100");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("TCP link", run.Out, StringComparison.Ordinal);
        Assert.Contains("4 meter(s) found", run.Out, StringComparison.Ordinal);
        var table = run.Out[run.Out.IndexOf("PROTOCOL", StringComparison.Ordinal)..];
        Assert.Matches(@"DL/T 645-2007\s+dlt645:123456789012", table);
        Assert.Matches(@"DL/T 645-1997\s+dlt645-1997:000000001997", table);
        Assert.Matches(@"Modbus RTU\s+modbus:1\s", table);
        Assert.Matches(@"Modbus RTU\s+modbus:2\s", table);
        Assert.DoesNotContain("modbus:3", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Probing_with_input_registers_reads_register_0()
    {
        using var sim = TestSimulator.Start(["modbus:7"]);
        var run = CliRun.Of("scan", "--link", sim.Link, "--protocol", "modbus", "--units", "6,7", "--function", "4", "--timeout-ms", "100");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("found modbus:7 (register 0 = ", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("read address", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_meters_of_one_edition_collide_on_read_address_and_scan_says_so()
    {
        using var sim = TestSimulator.Start(["dlt645:123456789012", "dlt645:000000000042"]);
        var run = CliRun.Of("scan", "--link", sim.Link, "--protocol", "dlt645", "--dlt645-timeout-ms", "300");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("several meters answering at once", run.Out, StringComparison.Ordinal);
        Assert.Contains("0 meter(s) found, 1 note(s)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_answering_is_a_failure()
    {
        using var sim = TestSimulator.Start(["dlt645:123456789012"]);
        var run = CliRun.Of("scan", "--link", sim.Link, "--protocol", "modbus", "--units", "1-2", "--timeout-ms", "50");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"no meter answered on {sim.Link}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_link_fails_naming_it()
    {
        var port = FreePort.Next();
        var run = CliRun.Of("scan", "--link", $"tcp://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("cannot connect", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--units", "0-5", "Modbus unit '0'")]
    [InlineData("--units", "9-3", "runs backwards")]
    [InlineData("--units", "x", "Modbus unit 'x'")]
    [InlineData("--bauds", "2400,fast", "baud rate 'fast'")]
    [InlineData("--protocol", "iec", "--protocol 'iec'")]
    [InlineData("--function", "1", "--function 1")]
    [InlineData("--timeout-ms", "-5", "--timeout-ms")]
    public void Bad_values_are_usage_errors(string option, string value, string expected)
    {
        var run = CliRun.Of("scan", "--link", "tcp://127.0.0.1:1", option, value);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
