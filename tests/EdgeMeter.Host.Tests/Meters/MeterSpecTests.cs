using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Meters;

public class MeterSpecTests
{
    [Theory]
    [InlineData("dlt645:123456789012", MeterProtocol.Dlt645V2007, "dlt645:123456789012")]
    [InlineData("dlt645-2007:000000000001", MeterProtocol.Dlt645V2007, "dlt645:000000000001")]
    [InlineData("dlt645-1997:000000001997", MeterProtocol.Dlt645V1997, "dlt645-1997:000000001997")]
    [InlineData("modbus:1", MeterProtocol.Modbus, "modbus:1")]
    [InlineData("modbus:247", MeterProtocol.Modbus, "modbus:247")]
    [InlineData("modbus:007", MeterProtocol.Modbus, "modbus:7")]
    public void Parses_the_three_kinds_to_a_canonical_form(string text, MeterProtocol protocol, string canonical)
    {
        var spec = MeterSpec.Parse(text);
        Assert.Equal(protocol, spec.Protocol);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, MeterSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Carries_the_address_edition_and_unit()
    {
        var dlt = MeterSpec.Parse("dlt645-1997:123456789012");
        Assert.Equal(Dlt645Address.Parse("123456789012"), dlt.Address);
        Assert.Equal(Dlt645Version.V1997, dlt.Dlt645Version);
        Assert.True(dlt.IsDlt645);
        Assert.Equal(17, MeterSpec.Parse("modbus:17").Unit);
    }

    [Theory]
    [InlineData("123456789012", "must be dlt645:ADDRESS")]
    [InlineData("dlt:123456789012", "unknown protocol 'dlt'")]
    [InlineData("dlt645:12345678901", "12 decimal digits")]
    [InlineData("dlt645:1234567890123", "12 decimal digits")]
    [InlineData("dlt645:AAAAAAAAAAAA", "12 decimal digits")]
    [InlineData("dlt645:", "12 decimal digits")]
    [InlineData("modbus:0", "1..247")]
    [InlineData("modbus:248", "1..247")]
    [InlineData("modbus:-1", "1..247")]
    [InlineData("modbus:x", "1..247")]
    public void Refuses_bad_text_with_a_message_naming_the_problem(string text, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => MeterSpec.Parse(text));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains(text, failure.Message, StringComparison.Ordinal);
    }
}
