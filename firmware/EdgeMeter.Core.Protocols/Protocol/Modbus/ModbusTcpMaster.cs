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
/// unit and given a CRC, is an RTU frame), so errors are reported alike. Where the server allows several outstanding
/// requests (<see cref="MaxOutstanding"/>), <see cref="ReadPipelined"/> sends a meter's block reads together and takes
/// the replies in any order by their ids. Allocates nothing per call.
/// </summary>
public sealed class ModbusTcpMaster : ModbusMaster
{
    public const int DefaultResponseTimeoutMilliseconds = 1000;

    /// <summary>MBAP header: transaction id, protocol id, length (2 bytes each), then the unit id.</summary>
    public const int HeaderLength = 7;

    /// <summary>The largest ADU: the header and a 253-byte PDU.</summary>
    public const int MaxAduLength = 260;

    /// <summary>The most requests <see cref="ReadPipelined"/> keeps outstanding (the configuration's limit).</summary>
    public const int MaxPipeline = 16;

    private const int SameUnitAsBlock = -1;

    /// <summary>A read request's ADU: header, unit, function, address, count.</summary>
    private const int ReadRequestLength = 12;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
    private readonly byte[] _adu = new byte[MaxAduLength];
    private readonly byte[] _reply = new byte[ModbusFrameReader.MaxFrameLength];
    private readonly byte[] _burst = new byte[MaxPipeline * ReadRequestLength];
    private readonly int[] _pendingTransactions = new int[MaxPipeline];
    private readonly int[] _pendingBlocks = new int[MaxPipeline];
    private int _transaction;
    private int _maxOutstanding = 1;
    private int _unitId = SameUnitAsBlock; // of the plan being read, or each block's own

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

    /// <summary>How many requests the server takes before answering the first (1: one at a time, the safe default).</summary>
    public int MaxOutstanding
    {
        get => _maxOutstanding;
        set
        {
            if (value < 1 || value > MaxPipeline)
            {
                throw new System.ArgumentOutOfRangeException(nameof(value));
            }

            _maxOutstanding = value;
        }
    }

    /// <summary>The transaction id of the last request sent.</summary>
    public int LastTransaction => _transaction;

    /// <summary>
    /// Reads every block of <paramref name="plan"/> into its registers, <see cref="MaxOutstanding"/> requests at a time,
    /// each within <see cref="ResponseTimeoutMilliseconds"/> of its window's sending; <c>statuses[b]</c> is block b's
    /// outcome (Timeout for a request left unanswered). A broken connection fails the blocks not yet answered.
    /// </summary>
    public void ReadPipelined(ModbusReadPlan plan, ReadStatus[] statuses) => ReadPipelined(plan, statuses, SameUnitAsBlock);

    /// <summary>As <see cref="ReadPipelined(ModbusReadPlan, ReadStatus[])"/>, every block from unit <paramref name="unitId"/>
    /// (a plan shared by meters of one model).</summary>
    public void ReadPipelined(ModbusReadPlan plan, ReadStatus[] statuses, byte unitId) => ReadPipelined(plan, statuses, (int)unitId);

    private void ReadPipelined(ModbusReadPlan plan, ReadStatus[] statuses, int unitId)
    {
        _unitId = unitId;
        LastException = ModbusExceptionCode.None;
        for (var first = 0; first < plan.BlockCount; first += _maxOutstanding)
        {
            var count = plan.BlockCount - first < _maxOutstanding ? plan.BlockCount - first : _maxOutstanding;
            try
            {
                SendWindow(plan, first, count, statuses);
                ReceiveWindow(plan, count, statuses, _clock.MonotonicMilliseconds + ResponseTimeoutMilliseconds);
            }
            catch (LinkException)
            {
                for (var i = 0; i < count; i++)
                {
                    if (_pendingBlocks[i] >= 0)
                    {
                        statuses[_pendingBlocks[i]] = ReadStatus.LinkDown;
                    }
                }
            }
        }
    }

    private byte UnitOf(ModbusReadBlock block) => _unitId == SameUnitAsBlock ? block.UnitId : (byte)_unitId;

    private void SendWindow(ModbusReadPlan plan, int first, int count, ReadStatus[] statuses)
    {
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            var block = plan.GetBlock(first + i);
            _transaction = (_transaction + 1) & 0xFFFF;
            _pendingTransactions[i] = _transaction;
            _pendingBlocks[i] = first + i;
            statuses[first + i] = ReadStatus.Timeout;
            var rtu = ModbusRtuRequest.BuildRead(Request, UnitOf(block), block.Function, block.Address, block.Count);
            length += ModbusTcpFrame.FromRtu(Request, rtu, _transaction, _burst, length);
        }

        _link.DiscardInput();
        _link.Write(_burst, 0, length);
    }

    private void ReceiveWindow(ModbusReadPlan plan, int count, ReadStatus[] statuses, long deadline)
    {
        for (var answered = 0; answered < count;)
        {
            if (!ReadExactly(_adu, 0, HeaderLength, deadline))
            {
                return;
            }

            var pduLength = ModbusTcpFrame.PduLength(_adu);
            if (pduLength < 0 || !ReadExactly(_reply, 1, pduLength, deadline))
            {
                return;
            }

            var slot = PendingSlot(ModbusTcpFrame.Transaction(_adu), count);
            if (slot < 0)
            {
                continue; // a late reply to an earlier request
            }

            var b = _pendingBlocks[slot];
            _pendingBlocks[slot] = -1;
            answered++;
            var block = plan.GetBlock(b);
            ModbusRtuRequest.BuildRead(Request, UnitOf(block), block.Function, block.Address, block.Count);
            _reply[0] = _adu[HeaderLength - 1];
            var rtuLength = ModbusCrc.Append(_reply, 1 + pduLength);
            statuses[b] = ModbusRtuResponse.Check(Request, _reply, rtuLength, out var exception);
            if (statuses[b] == ReadStatus.Ok)
            {
                ModbusRtuResponse.CopyRegisters(_reply, block.Registers, block.Count);
            }
            else if (exception != ModbusExceptionCode.None)
            {
                LastException = exception;
            }
        }
    }

    private int PendingSlot(int transaction, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_pendingBlocks[i] >= 0 && _pendingTransactions[i] == transaction)
            {
                return i;
            }
        }

        return -1;
    }

    protected override byte[] Reply => _reply;

    /// <summary>Any unit id 0-255: behind a gateway it is the device's address; there is no broadcast.</summary>
    protected override void CheckUnit(byte unit, bool write)
    {
    }

    /// <summary>Sends the RTU request in <c>Request[0..length)</c> as an ADU and takes the reply with its id.</summary>
    protected override ReadStatus Transact(int length, out int replyLength, out bool expectsReply)
    {
        replyLength = 0;
        expectsReply = true;
        _transaction = (_transaction + 1) & 0xFFFF;
        var aduLength = ModbusTcpFrame.FromRtu(Request, length, _transaction, _adu);
        try
        {
            _link.DiscardInput();
            _link.Write(_adu, 0, aduLength);
            return ReceiveReply(_clock.MonotonicMilliseconds + ResponseTimeoutMilliseconds, out replyLength);
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
