using EdgeMeter.Core.Links;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Modbus RTU client over one RS-485 link, in the spirit of libmodbus: create it for a link, set the timeout,
/// call <c>ReadHoldingRegisters(unit, address, count, dest)</c>. Before each request it keeps the bus silent for 3.5
/// character times and drops stale input. Unit 0 broadcasts a write and expects no reply. Allocates nothing per call.
/// Not thread-safe: one master per link, used by one poller.
/// </summary>
public sealed class ModbusRtuMaster : ModbusMaster
{
    public const int DefaultResponseTimeoutMilliseconds = 1000;

    /// <summary>Time servers get to act on a broadcast before the next request (the spec suggests 100-200 ms).</summary>
    public const int DefaultBroadcastDelayMilliseconds = 100;

    public const byte BroadcastUnit = 0;
    public const byte MaxUnit = 247;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
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

    public int BroadcastDelayMilliseconds { get; set; }

    protected override byte[] Reply => _reply.Buffer;

    /// <summary>Reads need a unit 1..247; writes 0..247 (0 broadcasts).</summary>
    protected override void CheckUnit(byte unit, bool write)
    {
        if ((!write && unit == BroadcastUnit) || unit > MaxUnit)
        {
            throw new System.ArgumentOutOfRangeException(nameof(unit), write ? "writes need a unit 0..247" : "reads need a unit 1..247");
        }
    }

    protected override ReadStatus Transact(int length, out int replyLength, out bool expectsReply)
    {
        replyLength = 0;
        expectsReply = Request[0] != BroadcastUnit;
        try
        {
            WaitForSilence();
            _link.DiscardInput();
            _link.Write(Request, 0, length);
            var sentAt = _clock.MonotonicMilliseconds + TransmitMilliseconds(length);
            if (!expectsReply)
            {
                var silence = SilenceMilliseconds();
                _busIdleAt = sentAt + (BroadcastDelayMilliseconds > silence ? BroadcastDelayMilliseconds : silence);
                return ReadStatus.Ok;
            }

            var status = ReceiveReply(sentAt + ResponseTimeoutMilliseconds);
            _busIdleAt = _clock.MonotonicMilliseconds + SilenceMilliseconds();
            replyLength = _reply.Length;
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
}
