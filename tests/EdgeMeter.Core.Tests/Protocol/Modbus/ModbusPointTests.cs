using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>A point keeps its small settings packed (a byte each): every one must read back as given, at its extremes.</summary>
public class ModbusPointTests
{
    [Theory]
    [InlineData(1, ModbusFunction.ReadHoldingRegisters, 0, ModbusDataType.Int16, ModbusWordOrder.BigEndian, -18, 0)]
    [InlineData(247, ModbusFunction.ReadInputRegisters, 65532, ModbusDataType.Float64, ModbusWordOrder.LittleEndian, 0, 18)]
    [InlineData(255, ModbusFunction.ReadInputRegisters, 65534, ModbusDataType.UInt32, ModbusWordOrder.LittleEndian, 18, 0)]
    [InlineData(0, ModbusFunction.ReadHoldingRegisters, 40000, ModbusDataType.Float32, ModbusWordOrder.BigEndian, -18, 18)]
    [InlineData(17, ModbusFunction.ReadHoldingRegisters, 12, ModbusDataType.UInt64, ModbusWordOrder.BigEndian, 3, 0)]
    public void Every_setting_reads_back_as_given(int unit, ModbusFunction function, int address, ModbusDataType type, ModbusWordOrder order, int power10, int decimals)
    {
        var point = new ModbusPoint("p", (byte)unit, function, address, type, order, power10, decimals, "kWh");

        Assert.Equal(
            ((byte)unit, function, address, type, order, power10, decimals, ModbusPoint.RegistersOf(type), "p", "kWh"),
            (point.UnitId, point.Function, point.Address, point.Type, point.WordOrder, point.Power10, point.Decimals, point.RegisterCount, point.PointId, point.UnitOfMeasure));
    }

    [Fact]
    public void A_word_order_that_is_not_one_of_the_two_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusPoint("p", 1, ModbusFunction.ReadHoldingRegisters, 0, ModbusDataType.UInt32, (ModbusWordOrder)2));
    }
}
