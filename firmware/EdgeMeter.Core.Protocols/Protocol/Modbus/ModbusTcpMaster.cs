using EdgeMeter.Core.Links;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Modbus TCP client over one TCP connection to a PLC, a DCS or a Modbus TCP gateway in front of serial devices
/// (MODBUS Messaging on TCP/IP Implementation Guide V1.0b). A request is the MBAP header (transaction id, protocol 0,
/// length, unit id) and the PDU, with no CRC: TCP checks the bytes. Each request gets the next transaction id and only
/// the reply carrying it is taken: a late reply to a request that timed out is read and dropped, never mistaken for
/// the answer to the next one. The unit id addresses a device behind a gateway (0-255; devices on the network itself
/// mostly answer to 1 or 255). Requests and replies are checked by the same codec as RTU's (a reply, prefixed by its
/// unit and given a CRC, is an RTU frame), so errors are reported alike. Allocates nothing per call.
/// </summary>
public sealed class ModbusTcpMaster : IModbusMaster
{
    public const int DefaultResponseTimeoutMilliseconds = 1000;

    /// <summary>MBAP header: transaction id, protocol id, length (2 bytes each), then the unit id.</summary>
    public const int HeaderLength = 7;

    /// <summary>The largest ADU: the header and a 253-byte PDU.</summary>
    public const int MaxAduLength = 260;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
    private readonly byte[] _rtu = new byte[ModbusFrameReader.MaxFrameLength];
    private readonly byte[] _adu = new byte[MaxAduLength];
    private readonly byte[] _reply = new byte[ModbusFrameReader.MaxFrameLength];
    private int _transaction;

    public ModbusTcpMaster(IMeterLink link, IClock clock)
    {
        if (link == null)
        {
            throw new System.ArgumentNullException(nameof(link));
        }

        if (clock == null)
        {
            throw new System.ArgumentNullException(nameof(clock));
        }

        _link = link;
        _clock = clock;
        ResponseTimeoutMilliseconds = DefaultResponseTimeoutMilliseconds;
    }

    public int ResponseTimeoutMilliseconds { get; set; }

    public ModbusExceptionCode LastException { get; private set; }

    /// <summary>The transaction id of the last request sent.</summary>
    public int LastTransaction => _transaction;

    public ReadStatus ReadCoils(byte unit, int address, int count, bool[] destination)
    {
        return ReadBits(ModbusFunction.ReadCoils, unit, address, count, destination);
    }

    public ReadStatus ReadDiscreteInputs(byte unit, int address, int count, bool[] destination)
    {
        return ReadBits(ModbusFunction.ReadDiscreteInputs, unit, address, count, destination);
    }

    public ReadStatus ReadHoldingRegisters(byte unit, int address, int count, ushort[] destination)
    {
        return ReadRegisters(ModbusFunction.ReadHoldingRegisters, unit, address, count, destination);
    }

    public ReadStatus ReadInputRegisters(byte unit, int address, int count, ushort[] destination)
    {
        return ReadRegisters(ModbusFunction.ReadInputRegisters, unit, address, count, destination);
    }

    public ReadStatus WriteSingleCoil(byte unit, int address, bool value)
    {
        ModbusArguments.CheckRange(address, 1, 1, 1);
        return Transact(ModbusRtuRequest.BuildWriteSingleCoil(_rtu, unit, address, value));
    }

    public ReadStatus WriteSingleRegister(byte unit, int address, ushort value)
    {
        ModbusArguments.CheckRange(address, 1, 1, 1);
        return Transact(ModbusRtuRequest.BuildWriteSingleRegister(_rtu, unit, address, value));
    }

    public ReadStatus WriteMultipleCoils(byte unit, int address, int count, bool[] values)
    {
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxWriteCoils, values == null ? -1 : values.Length);
        return Transact(ModbusRtuRequest.BuildWriteMultipleCoils(_rtu, unit, address, count, values!));
    }

    public ReadStatus WriteMultipleRegisters(byte unit, int address, int count, ushort[] values)
    {
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxWriteRegisters, values == null ? -1 : values.Length);
        return Transact(ModbusRtuRequest.BuildWriteMultipleRegisters(_rtu, unit, address, count, values!));
    }

    private ReadStatus ReadBits(ModbusFunction function, byte unit, int address, int count, bool[] destination)
    {
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxReadBits, destination == null ? -1 : destination.Length);
        var status = Transact(ModbusRtuRequest.BuildRead(_rtu, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyBits(_reply, destination!, count);
        }

        return status;
    }

    private ReadStatus ReadRegisters(ModbusFunction function, byte unit, int address, int count, ushort[] destination)
    {
        ModbusArguments.CheckRange(address, count, ModbusRtuRequest.MaxReadRegisters, destination == null ? -1 : destination.Length);
        var status = Transact(ModbusRtuRequest.BuildRead(_rtu, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyRegisters(_reply, destination!, count);
        }

        return status;
    }

    /// <summary>Sends the RTU request in <c>_rtu[0..rtuLength)</c> as an ADU and takes the reply with its id.</summary>
    private ReadStatus Transact(int rtuLength)
    {
        LastException = ModbusExceptionCode.None;
        _transaction = (_transaction + 1) & 0xFFFF;
        var aduLength = ModbusTcpFrame.FromRtu(_rtu, rtuLength, _transaction, _adu);
        try
        {
            _link.DiscardInput();
            _link.Write(_adu, 0, aduLength);
            var deadline = _clock.MonotonicMilliseconds + ResponseTimeoutMilliseconds;
            int replyLength;
            var status = ReceiveReply(deadline, out replyLength);
            if (status != ReadStatus.Ok)
            {
                return status;
            }

            status = ModbusRtuResponse.Check(_rtu, _reply, replyLength, out var exception);
            LastException = exception;
            return status;
        }
        catch (LinkException)
        {
            return ReadStatus.LinkDown;
        }
    }

    /// <summary>Reads ADUs until the one with this request's transaction id; leaves it in <c>_reply</c> as an RTU frame.</summary>
    private ReadStatus ReceiveReply(long deadline, out int rtuLength)
    {
        rtuLength = 0;
        while (true)
        {
            if (!ReadExactly(_adu, 0, HeaderLength, deadline))
            {
                return ReadStatus.Timeout;
            }

            var pduLength = ModbusTcpFrame.PduLength(_adu);
            if (pduLength < 0)
            {
                return ReadStatus.Malformed;
            }

            if (!ReadExactly(_reply, 1, pduLength, deadline))
            {
                return ReadStatus.Timeout;
            }

            if (ModbusTcpFrame.Transaction(_adu) == _transaction)
            {
                _reply[0] = _adu[HeaderLength - 1];
                rtuLength = ModbusCrc.Append(_reply, 1 + pduLength);
                return ReadStatus.Ok;
            }
        }
    }

    private bool ReadExactly(byte[] buffer, int offset, int count, long deadline)
    {
        var end = offset + count;
        while (offset < end)
        {
            var remaining = deadline - _clock.MonotonicMilliseconds;
            if (remaining <= 0)
            {
                return false;
            }

            offset += _link.Read(buffer, offset, end - offset, (int)remaining);
        }

        return true;
    }
}
