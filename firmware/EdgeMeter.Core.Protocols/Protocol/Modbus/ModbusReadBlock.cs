using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// One read request of a <see cref="ModbusReadPlan"/>: a register range of one unit and function, the points that
/// lie in it, and the register array a read fills. Reading and decoding allocate nothing.
/// </summary>
public sealed class ModbusReadBlock
{
    private readonly ModbusPoint[] _points;

    internal ModbusReadBlock(byte unitId, ModbusFunction function, int address, int count, ModbusPoint[] points)
    {
        UnitId = unitId;
        Function = function;
        Address = address;
        Count = count;
        Registers = new ushort[count];
        _points = points;
    }

    public byte UnitId { get; }

    public ModbusFunction Function { get; }

    public int Address { get; }

    /// <summary>Registers read by the one request, gaps included (at most 125).</summary>
    public int Count { get; }

    /// <summary>The block's registers as last read: <c>Registers[0]</c> is register <see cref="Address"/>.</summary>
    public ushort[] Registers { get; }

    public int PointCount => _points.Length;

    public ModbusPoint GetPoint(int index) => _points[index];

    /// <summary>Reads the whole block into <see cref="Registers"/> with one request.</summary>
    public ReadStatus Read(ModbusMaster master) => Read(master, UnitId);

    /// <summary>
    /// Reads the block from unit <paramref name="unitId"/>: meters of one model on one bus share a plan, each reading it
    /// with its own unit id, one after the other (the bus carries one request at a time).
    /// </summary>
    public ReadStatus Read(ModbusMaster master, byte unitId)
    {
        return Function == ModbusFunction.ReadInputRegisters
            ? master.ReadInputRegisters(unitId, Address, Count, Registers)
            : master.ReadHoldingRegisters(unitId, Address, Count, Registers);
    }

    /// <summary>Decodes point <paramref name="index"/> from <see cref="Registers"/>.</summary>
    public ModbusValueStatus Decode(int index, out FixedDecimal value)
    {
        var point = _points[index];
        return ModbusValueCodec.Decode(point, Registers, point.Address - Address, out value);
    }
}
