using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Protocol.Modbus;

/// <summary>
/// A request as a server sees it, filled by <see cref="ModbusRequestParser.Parse"/>. One instance is reused for every
/// request; the payload of a write-multiple request is read from the frame it was parsed from, so keep that frame
/// untouched while using it.
/// </summary>
public sealed class ModbusRequest
{
    private byte[]? _frame;
    private int _dataOffset;

    public byte Unit { get; private set; }

    /// <summary>The function code; may be a value outside <see cref="ModbusFunction"/> (then the violation is
    /// <see cref="ModbusExceptionCode.IllegalFunction"/>).</summary>
    public ModbusFunction Function { get; private set; }

    public int Address { get; private set; }

    /// <summary>Number of coils or registers addressed; 1 for the single writes.</summary>
    public int Count { get; private set; }

    /// <summary>The raw value of a single write: 0xFF00 (on) or 0x0000 (off) for a coil, the register for 06.</summary>
    public int Value { get; private set; }

    /// <summary>The exception the server must answer with because of the request itself (unknown function,
    /// quantity out of range, ...), or <see cref="ModbusExceptionCode.None"/>.</summary>
    public ModbusExceptionCode Violation { get; private set; }

    /// <summary>Unit 0: every server acts on the write and none answers.</summary>
    public bool IsBroadcast => Unit == 0;

    /// <summary>Register <paramref name="index"/> of a write (06 or 16).</summary>
    public ushort GetRegister(int index)
    {
        if (Function == ModbusFunction.WriteSingleRegister || _frame == null)
        {
            return (ushort)Value;
        }

        var at = _dataOffset + (2 * index);
        return (ushort)((_frame[at] << 8) | _frame[at + 1]);
    }

    /// <summary>Coil <paramref name="index"/> of a write (05 or 15).</summary>
    public bool GetCoil(int index)
    {
        if (Function == ModbusFunction.WriteSingleCoil || _frame == null)
        {
            return Value == 0xFF00;
        }

        return (_frame[_dataOffset + (index >> 3)] & (1 << (index & 7))) != 0;
    }

    internal void Set(byte unit, ModbusFunction function, int address, int count, int value, ModbusExceptionCode violation)
    {
        Unit = unit;
        Function = function;
        Address = address;
        Count = count;
        Value = value;
        Violation = violation;
        _frame = null;
        _dataOffset = 0;
    }

    internal void SetPayload(byte[] frame, int dataOffset)
    {
        _frame = frame;
        _dataOffset = dataOffset;
    }
}
