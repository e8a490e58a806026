using EdgeMeter.MeterSim.Faults;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Simulation;

public class SimulatorFaultTests
{
    [Fact]
    public void Parses_kind_meter_fraction_and_delay()
    {
        var fault = SimulatorFault.Parse("slow=1500@dlt645:123456789012,25%");
        Assert.Equal(SimulatorFaultKind.Slow, fault.Kind);
        Assert.Equal(1500, fault.DelayMilliseconds);
        Assert.Equal(MeterSpec.Parse("dlt645:123456789012"), fault.Meter);
        Assert.Equal(0.25, fault.Fraction);
        Assert.Equal("slow=1500@dlt645:123456789012,0.25", fault.ToString());

        var all = SimulatorFault.Parse("no-reply");
        Assert.Null(all.Meter);
        Assert.Equal(1.0, all.Fraction);
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.BadChecksum, null, 0.1), SimulatorFault.Parse("bad-checksum@0.1"));
        Assert.Equal(new SimulatorFault(SimulatorFaultKind.ErrorReply, MeterSpec.Modbus(2)), SimulatorFault.Parse("error-reply@modbus:2"));
    }

    [Fact]
    public void Targets_its_meter_only()
    {
        var fault = SimulatorFault.Parse("no-reply@modbus:1");
        Assert.True(fault.Targets(MeterSpec.Modbus(1)));
        Assert.False(fault.Targets(MeterSpec.Modbus(2)));
        Assert.True(SimulatorFault.Parse("no-reply").Targets(MeterSpec.Modbus(2)));
    }

    [Theory]
    [InlineData("timeout", "unknown kind 'timeout'")]
    [InlineData("slow", "slow needs a delay")]
    [InlineData("slow=fast", "slow needs a delay")]
    [InlineData("no-reply=5", "only slow takes a value")]
    [InlineData("no-reply@meter1", "neither a meter")]
    [InlineData("no-reply@1.5", "at most 1")]
    [InlineData("no-reply@0", "above 0")]
    [InlineData("no-reply@modbus:999", "1..247")]
    public void Refuses_bad_text(string text, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => SimulatorFault.Parse(text));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
