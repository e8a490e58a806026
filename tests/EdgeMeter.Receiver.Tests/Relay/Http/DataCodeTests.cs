using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Tests.Relay.Http;

public class DataCodeTests
{
    [Fact]
    public void Parts_compose_into_18_digits_and_read_back()
    {
        var code = DataCode.Compose("01", "02", "3001", DataClasses.SecondaryEnergy, "3300", "0105");

        Assert.Equal("010230010233000105", code.ToString());
        var parsed = DataCode.Parse(code.ToString());
        Assert.Equal(code, parsed);
        Assert.Equal("01", parsed.ProcessCode);
        Assert.Equal("02", parsed.ProcessUnitCode);
        Assert.Equal("3001", parsed.EquipmentCode);
        Assert.Equal("30", parsed.EquipmentType);
        Assert.Equal(2, parsed.DataClass);
        Assert.Equal("3300", parsed.EnergyTypeCode);
        Assert.Equal("0105", parsed.UsageCode);
        Assert.False(parsed.IsWholePlant);
    }

    [Fact]
    public void Whole_plant_codes_are_recognised()
    {
        var code = DataCode.Compose("00", "00", "0000", DataClasses.Other, "1200", "0001");

        Assert.Equal("000000001012000001", code.ToString());
        Assert.True(code.IsWholePlant);
        Assert.Equal(10, code.DataClass);
    }

    [Theory]
    [InlineData("1", "00", "0000", 1, "1200", "0001", "processCode")]
    [InlineData("00", "0A", "0000", 1, "1200", "0001", "processUnitCode")]
    [InlineData("00", "00", "000", 1, "1200", "0001", "equipmentCode")]
    [InlineData("00", "00", "0000", 0, "1200", "0001", "dataClass")]
    [InlineData("00", "00", "0000", 11, "1200", "0001", "dataClass")]
    [InlineData("00", "00", "0000", 1, "12000", "0001", "energyTypeCode")]
    [InlineData("00", "00", "0000", 1, "1200", "", "usageCode")]
    public void A_bad_part_is_named(string process, string unit, string equipment, int dataClass, string energy, string usage, string part)
    {
        var failure = Assert.Throws<ArgumentException>(() => DataCode.Compose(process, unit, equipment, dataClass, energy, usage));

        Assert.Equal(part, failure.ParamName);
        Assert.StartsWith(part + " ", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is not 18 characters")]
    [InlineData("00000000011200000", "is not 18 characters")]
    [InlineData("0000000001120000011", "is not 18 characters")]
    [InlineData("00000000011200000X", "is not all digits")]
    [InlineData("000000000012000001", "class '00'")]
    [InlineData("000000001112000001", "class '11'")]
    public void Malformed_codes_are_explained(string? text, string expected)
    {
        Assert.False(DataCode.TryParse(text, out _, out var problem));
        Assert.StartsWith("dataCode: ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DataCode.Parse(text!));
    }

    [Fact]
    public void Every_class_from_01_to_10_is_allowed()
    {
        for (var dataClass = 1; dataClass <= 10; dataClass++)
        {
            var text = DataCode.Compose("00", "00", "0000", dataClass, "1200", "0001").ToString();
            Assert.Null(DataCode.Validate(text));
        }
    }
}
