using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>The one table of Modbus names that configuration files and command lines use.</summary>
public class ModbusNamesTests
{
    [Fact]
    public void Every_data_type_and_word_order_has_a_name_that_parses_back()
    {
        foreach (var type in Enum.GetValues<ModbusDataType>())
        {
            Assert.True(ModbusNames.TryParseDataType(ModbusNames.Of(type), out var parsed));
            Assert.Equal(type, parsed);
        }

        foreach (var order in Enum.GetValues<ModbusWordOrder>())
        {
            Assert.True(ModbusNames.TryParseWordOrder(ModbusNames.Of(order), out var parsed));
            Assert.Equal(order, parsed);
        }

        Assert.Equal(Enum.GetValues<ModbusDataType>().Length, ModbusNames.DataTypes.Length);
        Assert.Equal(Enum.GetValues<ModbusWordOrder>().Length, ModbusNames.WordOrders.Length);
    }

    [Theory]
    [InlineData("Float32")]
    [InlineData("float")]
    [InlineData("")]
    public void Other_names_are_refused(string name)
    {
        Assert.False(ModbusNames.TryParseDataType(name, out _));
        Assert.False(ModbusNames.TryParseWordOrder(name, out _));
    }

    [Theory]
    [InlineData(3, true, ModbusFunction.ReadHoldingRegisters)]
    [InlineData(4, true, ModbusFunction.ReadInputRegisters)]
    [InlineData(1, false, ModbusFunction.ReadHoldingRegisters)]
    [InlineData(16, false, ModbusFunction.ReadHoldingRegisters)]
    public void Points_are_read_with_function_3_or_4(int code, bool valid, ModbusFunction expected)
    {
        Assert.Equal(valid, ModbusNames.TryParseReadFunction(code, out var function));
        if (valid)
        {
            Assert.Equal(expected, function);
        }
    }
}
