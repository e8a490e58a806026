using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Cli;
using EdgeMeter.Host.Tests.Support;

namespace EdgeMeter.Host.Tests.Cli;

public class SimVerbTests
{
    [Fact]
    public void Serves_the_meters_it_prints_until_its_duration_ends()
    {
        var port = FreePort.Next();
        var link = $"tcp://127.0.0.1:{port}";
        var output = new BlockingWriter();
        using var error = new StringWriter();
        var exitCode = -1;
        var sim = new Thread(() => exitCode = EdgeMeterCli.Run(
            ["sim", "--listen", link, "--meter", "dlt645-1997:000000000077", "--meter", "modbus:12", "--fault", "slow=5@modbus:12", "--duration", "3"],
            output,
            error));
        sim.Start();
        Assert.True(output.WaitFor("press Ctrl-C to stop", TimeSpan.FromSeconds(10)), output.ToString() + error);

        var banner = output.ToString();
        Assert.Contains($"serving 2 meter(s) on {link}", banner, StringComparison.Ordinal);
        Assert.Contains("dlt645-1997:000000000077", banner, StringComparison.Ordinal);
        Assert.Contains("modbus:12", banner, StringComparison.Ordinal);
        Assert.Contains("faults: slow=5@modbus:12", banner, StringComparison.Ordinal);
        Assert.Contains("docs/simulator.md", banner, StringComparison.Ordinal);

        var dlt = CliRun.Of("read", "--link", link, "--meter", "dlt645-1997:000000000077", "--di", "9010", "--json");
        Assert.Equal(ExitCodes.Ok, dlt.ExitCode);
        Assert.Contains("\"unit\":\"kWh\"", dlt.Out, StringComparison.Ordinal);
        var modbus = CliRun.Of("read", "--link", link, "--meter", "modbus:12", "--register", "0x46", "--type", "float32", "--function", "4");
        Assert.Equal(ExitCodes.Ok, modbus.ExitCode);
        Assert.Matches(@"^(49|50)\.\d+ Hz$", modbus.Out.Trim());

        Assert.True(sim.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("stopped after 2 request(s)", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("fault 'drop'", "--fault", "drop")]
    [InlineData("meter modbus:1 is given twice", "--meter", "modbus:1", "--meter", "modbus:1")]
    [InlineData("unknown protocol", "--meter", "bacnet:1")]
    [InlineData("--line-rate 100", "--line-rate", "100")]
    [InlineData("--duration 0", "--duration", "0")]
    [InlineData("must start with serial://, tcp:// or modbus-tcp://", "--listen", "udp://127.0.0.1:4001")]
    [InlineData("must be an IP address", "--listen", "tcp://example.invalid:4001")]
    public void Bad_command_lines_fail_before_serving(string expected, params string[] args)
    {
        var full = args.Contains("--listen") ? args : ["--listen", $"tcp://127.0.0.1:{FreePort.Next()}", .. args];
        var run = CliRun.Of(["sim", .. full, .. args.Contains("--duration") ? Array.Empty<string>() : ["--duration", "0.2"]]);
        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulator_is_also_a_program_of_its_own_with_the_same_command_line()
    {
        var link = $"tcp://127.0.0.1:{FreePort.Next()}";
        using var program = ChildProcess.StartDotnet("edgemeter-meter-sim.dll", "--listen", link, "--meter", "modbus:3", "--duration", "1");
        Assert.True(program.WaitForExit(TimeSpan.FromSeconds(30)), program.Output);

        Assert.Equal(ExitCodes.Ok, program.Process.ExitCode);
        Assert.Contains($"serving 1 meter(s) on {link}", program.Output, StringComparison.Ordinal);

        using var bad = ChildProcess.StartDotnet("edgemeter-meter-sim.dll", "--listen", link, "--line-rate", "100");
        Assert.True(bad.WaitForExit(TimeSpan.FromSeconds(30)), bad.Output);
        Assert.Equal(ExitCodes.Usage, bad.Process.ExitCode);
        Assert.Contains("edgemeter-meter-sim: error: --line-rate 100", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_in_use_is_a_failure()
    {
        using var sim = TestSimulator.Start(["modbus:1"]);
        var run = CliRun.Of("sim", "--listen", sim.Link, "--duration", "0.2");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("cannot listen on", run.Error, StringComparison.Ordinal);
    }

    /// <summary>A thread-safe writer a test can wait on.</summary>
    private sealed class BlockingWriter : StringWriter
    {
        private readonly object _gate = new();

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
                Monitor.PulseAll(_gate);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
                Monitor.PulseAll(_gate);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
                Monitor.PulseAll(_gate);
            }
        }

        public bool WaitFor(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_gate)
            {
                while (!base.ToString().Contains(text, StringComparison.Ordinal))
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                    {
                        return base.ToString().Contains(text, StringComparison.Ordinal);
                    }
                }

                return true;
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }
    }
}
