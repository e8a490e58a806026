using EdgeMeter.Core.Links;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Modbus RTU client over one RS-485 link, in the spirit of libmodbus: create it for a link, set the timeout,
/// call <c>ReadHoldingRegisters(unit, address, count, dest)</c>. Meter failures come back as a
/// <see cref="ReadStatus"/>; after <see cref="ReadStatus.ErrorReply"/>, <see cref="LastException"/> holds the
/// server's exception code. Before each request it keeps the bus silent for 3.5 character times and drops stale
/// input. Unit 0 broadcasts a write and expects no reply. Allocates nothing per call. Not thread-safe: one
/// master per link, used by one poller.
/// </summary>
public sealed class ModbusRtuMaster : IModbusMaster
{
    public const int DefaultResponseTimeoutMilliseconds = 1000;

    /// <summary>Time servers get to act on a broadcast before the next request (the spec suggests 100-200 ms).</summary>
    public const int DefaultBroadcastDelayMilliseconds = 100;

    public const byte BroadcastUnit = 0;
    public const byte MaxUnit = 247;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
    private readonly byte[] _request = new byte[ModbusFrameReader.MaxFrameLength];
    private readonly ModbusFrameReader _reply = ModbusFrameReader.ForResponses();
    private long _busIdleAt = long.MinValue;

    public ModbusRtuMaster(IMeterLink link, IClock clock)
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
        BroadcastDelayMilliseconds = DefaultBroadcastDelayMilliseconds;
    }

    /// <summary>How long one call waits for the whole reply, counted from the end of the request on the wire.</summary>
    public int ResponseTimeoutMilliseconds { get; set; }

    public int BroadcastDelayMilliseconds { get; set; }

    /// <summary>The exception code of the last call's exception reply; <see cref="ModbusExceptionCode.None"/> when
    /// the last call got none.</summary>
    public ModbusExceptionCode LastException { get; private set; }

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

    /// <summary>Function 05. Unit 0 broadcasts.</summary>
    public ReadStatus WriteSingleCoil(byte unit, int address, bool value)
    {
        CheckWrite(unit, address, 1, 1, 1);
        return Transact(ModbusRtuRequest.BuildWriteSingleCoil(_request, unit, address, value));
    }

    /// <summary>Function 06. Unit 0 broadcasts.</summary>
    public ReadStatus WriteSingleRegister(byte unit, int address, ushort value)
    {
        CheckWrite(unit, address, 1, 1, 1);
        return Transact(ModbusRtuRequest.BuildWriteSingleRegister(_request, unit, address, value));
    }

    /// <summary>Function 15 from <c>values[0..count)</c>, count 1..1968. Unit 0 broadcasts.</summary>
    public ReadStatus WriteMultipleCoils(byte unit, int address, int count, bool[] values)
    {
        CheckWrite(unit, address, count, ModbusRtuRequest.MaxWriteCoils, values == null ? -1 : values.Length);
        return Transact(ModbusRtuRequest.BuildWriteMultipleCoils(_request, unit, address, count, values!));
    }

    /// <summary>Function 16 from <c>values[0..count)</c>, count 1..123. Unit 0 broadcasts.</summary>
    public ReadStatus WriteMultipleRegisters(byte unit, int address, int count, ushort[] values)
    {
        CheckWrite(unit, address, count, ModbusRtuRequest.MaxWriteRegisters, values == null ? -1 : values.Length);
        return Transact(ModbusRtuRequest.BuildWriteMultipleRegisters(_request, unit, address, count, values!));
    }

    private ReadStatus ReadBits(ModbusFunction function, byte unit, int address, int count, bool[] destination)
    {
        CheckRead(unit, address, count, ModbusRtuRequest.MaxReadBits, destination == null ? -1 : destination.Length);
        var status = Transact(ModbusRtuRequest.BuildRead(_request, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyBits(_reply.Buffer, destination!, count);
        }

        return status;
    }

    private ReadStatus ReadRegisters(ModbusFunction function, byte unit, int address, int count, ushort[] destination)
    {
        CheckRead(unit, address, count, ModbusRtuRequest.MaxReadRegisters, destination == null ? -1 : destination.Length);
        var status = Transact(ModbusRtuRequest.BuildRead(_request, unit, function, address, count));
        if (status == ReadStatus.Ok)
        {
            ModbusRtuResponse.CopyRegisters(_reply.Buffer, destination!, count);
        }

        return status;
    }

    private ReadStatus Transact(int requestLength)
    {
        LastException = ModbusExceptionCode.None;
        try
        {
            WaitForSilence();
            _link.DiscardInput();
            _link.Write(_request, 0, requestLength);
            var sentAt = _clock.MonotonicMilliseconds + TransmitMilliseconds(requestLength);
            if (_request[0] == BroadcastUnit)
            {
                var silence = SilenceMilliseconds();
                _busIdleAt = sentAt + (BroadcastDelayMilliseconds > silence ? BroadcastDelayMilliseconds : silence);
                return ReadStatus.Ok;
            }

            var status = ReceiveReply(sentAt + ResponseTimeoutMilliseconds);
            _busIdleAt = _clock.MonotonicMilliseconds + SilenceMilliseconds();
            if (status != ReadStatus.Ok)
            {
                return status;
            }

            status = ModbusRtuResponse.Check(_request, _reply.Buffer, _reply.Length, out var exception);
            LastException = exception;
            return status;
        }
        catch (LinkException)
        {
            _busIdleAt = _clock.MonotonicMilliseconds + SilenceMilliseconds();
            return ReadStatus.LinkDown;
        }
    }

    private ReadStatus ReceiveReply(long deadline)
    {
        _reply.Reset();
        while (_reply.State == ModbusFrameState.Incomplete)
        {
            var remaining = deadline - _clock.MonotonicMilliseconds;
            if (remaining <= 0)
            {
                return ReadStatus.Timeout;
            }

            _reply.Advance(_link.Read(_reply.Buffer, _reply.Length, _reply.Missing, (int)remaining));
        }

        switch (_reply.State)
        {
            case ModbusFrameState.Complete:
                return ReadStatus.Ok;
            case ModbusFrameState.BadChecksum:
                return ReadStatus.BadChecksum;
            default:
                return ReadStatus.Malformed;
        }
    }

    private void WaitForSilence()
    {
        var now = _clock.MonotonicMilliseconds;
        if (now < _busIdleAt)
        {
            _clock.Sleep((int)(_busIdleAt - now));
        }
    }

    /// <summary>3.5 character times, rounded up to whole milliseconds; a fixed 1.75 ms above 19200 baud.</summary>
    private int SilenceMilliseconds()
    {
        var baud = _link.BaudRate;
        if (baud <= 0)
        {
            return 0;
        }

        var micros = baud > 19200 ? 1750L : 3500000L * _link.BitsPerCharacter / baud;
        return (int)((micros + 999) / 1000);
    }

    private int TransmitMilliseconds(int length)
    {
        var baud = _link.BaudRate;
        return baud <= 0 ? 0 : (int)(((1000L * length * _link.BitsPerCharacter) + baud - 1) / baud);
    }

    private static void CheckRead(byte unit, int address, int count, int maxCount, int destinationLength)
    {
        if (unit == BroadcastUnit || unit > MaxUnit)
        {
            throw new System.ArgumentOutOfRangeException(nameof(unit), "reads need a unit 1..247");
        }

        ModbusArguments.CheckRange(address, count, maxCount, destinationLength);
    }

    private static void CheckWrite(byte unit, int address, int count, int maxCount, int valuesLength)
    {
        if (unit > MaxUnit)
        {
            throw new System.ArgumentOutOfRangeException(nameof(unit), "writes need a unit 0..247");
        }

        ModbusArguments.CheckRange(address, count, maxCount, valuesLength);
    }
}
