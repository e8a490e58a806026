namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// One measured value of a meter in its Modbus register map: where it is (unit, function 03/04, address), how it is
/// laid out (type, word order) and how raw numbers become engineering values (power-of-ten scale, decimals).
/// Immutable.
/// </summary>
public sealed class ModbusPoint
{
    public const int MaxPower10 = 18;
    public const int MaxDecimals = 18;

    /// <param name="pointId">The point's identifier in the gateway's catalogue.</param>
    /// <param name="unitId">Modbus unit (server address) 1..247.</param>
    /// <param name="function"><see cref="ModbusFunction.ReadHoldingRegisters"/> or <see cref="ModbusFunction.ReadInputRegisters"/>.</param>
    /// <param name="address">First register, 0-based as on the wire (register 40001 is address 0).</param>
    /// <param name="type">Layout of the value.</param>
    /// <param name="wordOrder">Register order of 32/64-bit types.</param>
    /// <param name="power10">Value = raw x 10^power10: -1 means x0.1 (one decimal), 3 means x1000. -18..18.</param>
    /// <param name="decimals">Float types only: decimals kept, rounding half away from zero. 0..18.</param>
    /// <param name="unitOfMeasure">Engineering unit such as "kWh" (informational).</param>
    public ModbusPoint(
        string pointId,
        byte unitId,
        ModbusFunction function,
        int address,
        ModbusDataType type,
        ModbusWordOrder wordOrder = ModbusWordOrder.BigEndian,
        int power10 = 0,
        int decimals = 0,
        string unitOfMeasure = "")
    {
        if (pointId == null)
        {
            throw new System.ArgumentNullException(nameof(pointId));
        }

        if (function != ModbusFunction.ReadHoldingRegisters && function != ModbusFunction.ReadInputRegisters)
        {
            throw new System.ArgumentException("points are read with function 03 or 04", nameof(function));
        }

        if (wordOrder != ModbusWordOrder.BigEndian && wordOrder != ModbusWordOrder.LittleEndian)
        {
            throw new System.ArgumentOutOfRangeException(nameof(wordOrder));
        }

        var registerCount = RegistersOf(type);
        if (address < 0 || address + registerCount > 0x10000)
        {
            throw new System.ArgumentOutOfRangeException(nameof(address));
        }

        if (power10 < -MaxPower10 || power10 > MaxPower10)
        {
            throw new System.ArgumentOutOfRangeException(nameof(power10));
        }

        // decimals + power10 <= 18 keeps the exact float conversion inside 128-bit integers.
        if (decimals < 0 || decimals > MaxDecimals || (IsFloat(type) && decimals + power10 > MaxDecimals))
        {
            throw new System.ArgumentOutOfRangeException(nameof(decimals));
        }

        PointId = pointId;
        UnitOfMeasure = unitOfMeasure ?? "";
        Address = address;
        _layout = unitId | ((int)function << 8) | ((int)type << 16) | ((int)wordOrder << 24);
        _scale = (power10 + MaxPower10) | (decimals << 8);
    }

    // A gateway keeps a point object per meter and register (128 for 16 meters of 8 points). On nanoFramework every
    // field is a 12-byte block, so the small numbers share two ints: unit id, function, type and word order a byte
    // each; power of ten (offset by MaxPower10) and decimals a byte each.
    private readonly int _layout;
    private readonly int _scale;

    public string PointId { get; }

    public byte UnitId => (byte)(_layout & 0xFF);

    public ModbusFunction Function => (ModbusFunction)((_layout >> 8) & 0xFF);

    public int Address { get; }

    public ModbusDataType Type => (ModbusDataType)((_layout >> 16) & 0xFF);

    public ModbusWordOrder WordOrder => (ModbusWordOrder)((_layout >> 24) & 0xFF);

    public int Power10 => (_scale & 0xFF) - MaxPower10;

    public int Decimals => (_scale >> 8) & 0xFF;

    public string UnitOfMeasure { get; }

    /// <summary>1, 2 or 4 registers, by type.</summary>
    public int RegisterCount => RegistersOf(Type);

    /// <summary>The scale of the values this point decodes to: <see cref="Decimals"/> for floats,
    /// -<see cref="Power10"/> (at least 0) for integers.</summary>
    public int ValueScale => IsFloat(Type) ? Decimals : (Power10 < 0 ? -Power10 : 0);

    public static int RegistersOf(ModbusDataType type)
    {
        switch (type)
        {
            case ModbusDataType.Int16:
            case ModbusDataType.UInt16:
                return 1;
            case ModbusDataType.Int32:
            case ModbusDataType.UInt32:
            case ModbusDataType.Float32:
                return 2;
            case ModbusDataType.Int64:
            case ModbusDataType.UInt64:
            case ModbusDataType.Float64:
                return 4;
            default:
                throw new System.ArgumentOutOfRangeException(nameof(type));
        }
    }

    internal static bool IsFloat(ModbusDataType type) => type == ModbusDataType.Float32 || type == ModbusDataType.Float64;
}
