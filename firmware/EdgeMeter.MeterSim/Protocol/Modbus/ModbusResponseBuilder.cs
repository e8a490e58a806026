using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Protocol.Modbus;

/// <summary>Response frames a server (a simulated meter) sends: normal and exception replies. Builders return the frame length.</summary>
public static class ModbusResponseBuilder
{
    /// <summary>Reply to 03/04: <c>values[offset..offset+count)</c>.</summary>
    public static int BuildReadRegisters(byte[] frame, byte unit, ModbusFunction function, ushort[] values, int offset, int count)
    {
        frame[0] = unit;
        frame[1] = (byte)function;
        frame[2] = (byte)(2 * count);
        ModbusFrameBytes.PackRegisters(values, offset, count, frame, 3);
        return ModbusCrc.Append(frame, 3 + (2 * count));
    }

    /// <summary>Reply to 01/02: <c>values[offset..offset+count)</c>, packed LSB first.</summary>
    public static int BuildReadBits(byte[] frame, byte unit, ModbusFunction function, bool[] values, int offset, int count)
    {
        var byteCount = (count + 7) >> 3;
        frame[0] = unit;
        frame[1] = (byte)function;
        frame[2] = (byte)byteCount;
        ModbusFrameBytes.PackBits(values, offset, count, frame, 3);
        return ModbusCrc.Append(frame, 3 + byteCount);
    }

    /// <summary>Reply to 05/06/15/16: unit, function, address and value (single) or quantity (multiple).</summary>
    public static int BuildWriteEcho(byte[] frame, ModbusRequest request)
    {
        var word = request.Function == ModbusFunction.WriteMultipleCoils
            || request.Function == ModbusFunction.WriteMultipleRegisters ? request.Count : request.Value;
        frame[0] = request.Unit;
        frame[1] = (byte)request.Function;
        frame[2] = (byte)(request.Address >> 8);
        frame[3] = (byte)request.Address;
        frame[4] = (byte)(word >> 8);
        frame[5] = (byte)word;
        return ModbusCrc.Append(frame, 6);
    }

    /// <summary>Exception reply: unit, function | 0x80, code.</summary>
    public static int BuildException(byte[] frame, byte unit, ModbusFunction function, ModbusExceptionCode code)
    {
        frame[0] = unit;
        frame[1] = (byte)((int)function | 0x80);
        frame[2] = (byte)code;
        return ModbusCrc.Append(frame, 3);
    }
}
