namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// A Modbus client, whatever carries its requests: RTU frames on an RS-485 bus (<see cref="ModbusRtuMaster"/>) or
/// MBAP frames on a TCP connection (<see cref="ModbusTcpMaster"/>). The eight functions are built here as RTU frames
/// and checked here against the reply, so both report alike: meter failures come back as a <see cref="ReadStatus"/>,
/// and after <see cref="ReadStatus.ErrorReply"/> <see cref="LastException"/> holds the server's exception code.
/// Arguments out of range throw. Allocates nothing per call; not thread-safe: one master per link.
/// </summary>
public abstract class ModbusMaster
{
    /// <summary>The request as an RTU frame (unit, PDU, CRC), built by the calls below.</summary>
    protected readonly byte[] Request = new byte[ModbusFrameReader.MaxFrameLength];

    /// <summary>How long one call waits for the whole reply.</summary>
    public int ResponseTimeoutMilliseconds { get; set; }

    /// <summary>The exception code of the last call's exception reply; <see cref="ModbusExceptionCode.None"/> when
    /// the last call got none.</summary>
    public ModbusExceptionCode LastException { get; protected set; }

    /// <summary>Function 01 into <c>destination[0..count)</c>, count 1..2000.</summary>
    public ReadStatus ReadCoils(byte unit, int address, int count, bool[] destination)
    {
        return ReadBits(ModbusFunction.ReadCoils, unit, address, count, destination);
    }

    /// <summary>Function 02 into <c>destination[0..count)</c>, count 1..2000.</summary>
    public ReadStatus ReadDiscreteInputs(byte unit, int address, int count, bool[] destination)
    {
        return ReadBits(ModbusFunction.ReadDiscreteInputs, unit, address, count, destination);
    }

    /// <summary>Function 03 into <c>destination[0..count)</c>, count 1..125.</summary>
    public ReadStatus ReadHoldingRegisters(byte unit, int address, int count, ushort[] destination)
    {
        return ReadRegisters(ModbusFunction.ReadHoldingRegisters, unit, address, count, destination);
    }

    /// <summary>Function 04 into <c>destination[0..count)</c>, count 1..125.</summary>
    public ReadStatus ReadInputRegisters(byte unit, int address, int count, ushort[] destination)
    {
        return ReadRegisters(ModbusFunction.ReadInputRegisters, unit, address, count, destination);
    }

    /// <summary>Function 05.</summary>
    public ReadStatus WriteSingleCoil(byte unit, int address, bool value)
    {
        CheckWrite(unit, address, 1, 1, 1);
        return Exchange(ModbusRtuRequest.BuildWriteSingleCoil(Request, unit, address, value));
    }

    /// <summary>Function 06.</summary>
    public ReadStatus WriteSingleRegister(byte unit, int address, ushort value)
    {
        CheckWrite(unit, address, 1, 1, 1);
        return Exchange(ModbusRtuRequest.BuildWriteSingleRegister(Request, unit, address, value));
    }

    /// <summary>Function 15 from <c>values[0..count)</c>, count 1..1968.</summary>
    public ReadStatus WriteMultipleCoils(byte unit, int address, int count, bool[] values)
    {
        CheckWrite(unit, address, count, ModbusRtuRequest.MaxWriteCoils, values == null ? -1 : values.Length);
        return Exchange(ModbusRtuRequest.BuildWriteMultipleCoils(Request, unit, address, count, values!));
    }

    /// <summary>Function 16 from <c>values[0..count)</c>, count 1..123.</summary>
    public ReadStatus WriteMultipleRegisters(byte unit, int address, int count, ushort[] values)
    {
        CheckWrite(unit, address, count, ModbusRtuRequest.MaxWriteRegisters, values == null ? -1 : values.Length);
        return Exchange(ModbusRtuRequest.BuildWriteMultipleRegisters(Request, unit, address, count, values!));
    }

    /// <summary>
    /// Sends <c>Request[0..length)</c> and receives the reply as an RTU frame into <see cref="Reply"/>: Ok with its
    /// length, or why not. <paramref name="expectsReply"/> is false for an RTU broadcast.
    /// </summary>
    protected abstract ReadStatus Transact(int length, out int replyLength, out bool expectsReply);

    /// <summary>The last reply as an RTU frame (unit, PDU, CRC).</summary>
    protected abstract byte[] Reply { get; }

    /// <summary>Throws when <paramref name="unit"/> cannot be read (<paramref name="write"/> false) or written.</summary>
    protected abstract void CheckUnit(byte unit, bool write);

    private ReadStatus ReadBits(ModbusFunction function, byte unit, int address, int count, bool[] destination)
    {
        CheckUnit(unit, false);
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxReadBits, destination == null ? -1 : destination.Length);
        var status = Exchange(ModbusRtuRequest.BuildRead(Request, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyBits(Reply, destination!, count);
        }

        return status;
    }

    private ReadStatus ReadRegisters(ModbusFunction function, byte unit, int address, int count, ushort[] destination)
    {
        CheckUnit(unit, false);
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxReadRegisters, destination == null ? -1 : destination.Length);
        var status = Exchange(ModbusRtuRequest.BuildRead(Request, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyRegisters(Reply, destination!, count);
        }

        return status;
    }

    private void CheckWrite(byte unit, int address, int count, int maxCount, int valuesLength)
    {
        CheckUnit(unit, true);
        ModbusArguments.CheckRange(address, count, maxCount, valuesLength);
    }

    private ReadStatus Exchange(int length)
    {
        LastException = ModbusExceptionCode.None;
        var status = Transact(length, out var replyLength, out var expectsReply);
        if (status != ReadStatus.Ok || !expectsReply)
        {
            return status;
        }

        status = ModbusRtuResponse.Check(Request, Reply, replyLength, out var exception);
        LastException = exception;
        return status;
    }
}
