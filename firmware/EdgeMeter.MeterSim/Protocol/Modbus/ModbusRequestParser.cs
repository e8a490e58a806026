using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Protocol.Modbus;

/// <summary>Request frames as a server (a simulated meter) receives them.</summary>
public static class ModbusRequestParser
{
    /// <summary>
    /// Server side: checks and decodes a whole request frame into <paramref name="request"/>. Returns
    /// <see cref="ReadStatus.BadChecksum"/> or <see cref="ReadStatus.Malformed"/> for frames a server must ignore
    /// (no reply), <see cref="ReadStatus.Ok"/> otherwise; then <see cref="ModbusRequest.Violation"/> tells whether
    /// to answer with an exception. Never throws on arbitrary bytes.
    /// </summary>
    public static ReadStatus Parse(byte[] frame, int length, ModbusRequest request)
    {
        if (frame == null || length < 4 || length > frame.Length)
        {
            return ReadStatus.Malformed;
        }

        if (!ModbusCrc.Check(frame, length))
        {
            return ReadStatus.BadChecksum;
        }

        var unit = frame[0];
        var function = (ModbusFunction)frame[1];
        switch (function)
        {
            case ModbusFunction.ReadCoils:
            case ModbusFunction.ReadDiscreteInputs:
                return ParseRead(frame, length, request, ModbusRtuRequest.MaxReadBits);
            case ModbusFunction.ReadHoldingRegisters:
            case ModbusFunction.ReadInputRegisters:
                return ParseRead(frame, length, request, ModbusRtuRequest.MaxReadRegisters);
            case ModbusFunction.WriteSingleCoil:
            case ModbusFunction.WriteSingleRegister:
                return ParseWriteSingle(frame, length, request);
            case ModbusFunction.WriteMultipleCoils:
                return ParseWriteMultiple(frame, length, request, ModbusRtuRequest.MaxWriteCoils, false);
            case ModbusFunction.WriteMultipleRegisters:
                return ParseWriteMultiple(frame, length, request, ModbusRtuRequest.MaxWriteRegisters, true);
            default:
                request.Set(unit, function, 0, 0, 0, ModbusExceptionCode.IllegalFunction);
                return ReadStatus.Ok;
        }
    }

    private static ReadStatus ParseRead(byte[] frame, int length, ModbusRequest request, int maxCount)
    {
        if (length != 8)
        {
            return ReadStatus.Malformed;
        }

        var address = ModbusFrameBytes.ReadWord(frame, 2);
        var count = ModbusFrameBytes.ReadWord(frame, 4);
        request.Set(frame[0], (ModbusFunction)frame[1], address, count, 0, QuantityViolation(address, count, maxCount));
        return ReadStatus.Ok;
    }

    private static ReadStatus ParseWriteSingle(byte[] frame, int length, ModbusRequest request)
    {
        if (length != 8)
        {
            return ReadStatus.Malformed;
        }

        var function = (ModbusFunction)frame[1];
        var value = ModbusFrameBytes.ReadWord(frame, 4);
        var violation = function == ModbusFunction.WriteSingleCoil && value != 0xFF00 && value != 0x0000
            ? ModbusExceptionCode.IllegalDataValue
            : ModbusExceptionCode.None;
        request.Set(frame[0], function, ModbusFrameBytes.ReadWord(frame, 2), 1, value, violation);
        return ReadStatus.Ok;
    }

    private static ReadStatus ParseWriteMultiple(byte[] frame, int length, ModbusRequest request, int maxCount, bool registers)
    {
        if (length < 9 || length != 9 + frame[6])
        {
            return ReadStatus.Malformed;
        }

        var address = ModbusFrameBytes.ReadWord(frame, 2);
        var count = ModbusFrameBytes.ReadWord(frame, 4);
        var violation = QuantityViolation(address, count, maxCount);
        var expectedBytes = registers ? 2 * count : (count + 7) >> 3;
        if (violation == ModbusExceptionCode.None && frame[6] != expectedBytes)
        {
            violation = ModbusExceptionCode.IllegalDataValue;
        }

        request.Set(frame[0], (ModbusFunction)frame[1], address, count, 0, violation);
        request.SetPayload(frame, 7);
        return ReadStatus.Ok;
    }

    private static ModbusExceptionCode QuantityViolation(int address, int count, int maxCount)
    {
        if (count < 1 || count > maxCount)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        return address + count > 0x10000 ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.None;
    }
}
