namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// The names configuration files and command lines use for Modbus data types, word orders and read functions
/// (docs/config.md): one table, read into the enums once. Parsing never falls back to a default.
/// </summary>
public static class ModbusNames
{
    /// <summary>Names in the order of <see cref="ModbusDataType"/>.</summary>
    public static readonly string[] DataTypes = { "int16", "uint16", "int32", "uint32", "float32", "int64", "uint64", "float64" };

    /// <summary>Names in the order of <see cref="ModbusWordOrder"/>.</summary>
    public static readonly string[] WordOrders = { "big", "little" };

    /// <summary>The function codes a point may be read with: 3 (holding registers) and 4 (input registers).</summary>
    public static readonly int[] ReadFunctions = { 3, 4 };

    public static string Of(ModbusDataType type) => DataTypes[(int)type];

    public static string Of(ModbusWordOrder order) => WordOrders[(int)order];

    public static bool TryParseDataType(string name, out ModbusDataType type)
    {
        var index = IndexOf(DataTypes, name);
        type = index < 0 ? ModbusDataType.UInt16 : (ModbusDataType)index;
        return index >= 0;
    }

    public static bool TryParseWordOrder(string name, out ModbusWordOrder order)
    {
        var index = IndexOf(WordOrders, name);
        order = index < 0 ? ModbusWordOrder.BigEndian : (ModbusWordOrder)index;
        return index >= 0;
    }

    public static bool TryParseReadFunction(int code, out ModbusFunction function)
    {
        function = code == 4 ? ModbusFunction.ReadInputRegisters : ModbusFunction.ReadHoldingRegisters;
        return code == 3 || code == 4;
    }

    private static int IndexOf(string[] names, string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
