using EdgeMeter.Core.Links;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// Reads DL/T 645 meters on one bus, one request at a time. Settings (version, timeout, time order) are
/// properties set per meter before a call; results are <see cref="ReadStatus"/> values, never exceptions.
/// After warm-up a read allocates nothing. Not thread-safe: one master per bus, used by one poller.
/// </summary>
public sealed class Dlt645Master
{
    public const int DefaultTimeoutMilliseconds = 1000;

    /// <summary>The longest value assembled from a multi-frame reply.</summary>
    public const int MaxReplyDataLength = 1024;

    private const int MaxFollowUpFrames = 64;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
    private readonly Dlt645FrameParser _parser = new Dlt645FrameParser();
    private readonly byte[] _request = new byte[Dlt645FrameEncoder.MaxFrameLength];
    private readonly byte[] _received = new byte[64];
    // One frame's data; grown to MaxReplyDataLength the first time a reply needs follow-up frames (kept then). Most
    // meters never send one, and a board's heap is worth the 770 bytes per bus.
    private byte[] _data = new byte[Dlt645Frame.MaxDataLength];
    private readonly byte[] _date = new byte[4];
    private readonly byte[] _time = new byte[3];
    private int _dataLength;
    private int _timeoutMilliseconds = DefaultTimeoutMilliseconds;
    private int _preambleLength = Dlt645FrameEncoder.DefaultPreambleLength;

    public Dlt645Master(IMeterLink link, IClock clock)
    {
        _link = link ?? throw new System.ArgumentNullException(nameof(link));
        _clock = clock ?? throw new System.ArgumentNullException(nameof(clock));
    }

    /// <summary>Protocol edition of the meter addressed next (default 2007).</summary>
    public Dlt645Version Version { get; set; }

    /// <summary>
    /// How long one request waits for its complete reply frame, counted after the request has left the UART
    /// (the request's own transmission time is added). Each follow-up frame gets the full time again.
    /// </summary>
    public int TimeoutMilliseconds
    {
        get => _timeoutMilliseconds;
        set
        {
            if (value < 1)
            {
                throw new System.ArgumentOutOfRangeException(nameof(value));
            }

            _timeoutMilliseconds = value;
        }
    }

    /// <summary>Byte order of <see cref="BroadcastTime"/> (default: standard, seconds first).</summary>
    public Dlt645TimeOrder BroadcastTimeOrder { get; set; }

    /// <summary>FE wake-up bytes sent before each request, 0..4 (default 4).</summary>
    public int PreambleLength
    {
        get => _preambleLength;
        set
        {
            if (value < 0 || value > Dlt645FrameEncoder.MaxPreambleLength)
            {
                throw new System.ArgumentOutOfRangeException(nameof(value));
            }

            _preambleLength = value;
        }
    }

    /// <summary>The meter's reasons after a call returned <see cref="ReadStatus.ErrorReply"/>; None otherwise.</summary>
    public Dlt645ErrorFlags LastError { get; private set; }

    /// <summary>
    /// The value bytes of the last successful read (DI removed, 0x33 removed, follow-up frames concatenated,
    /// lowest byte first). Only the first <see cref="LastDataLength"/> bytes count; overwritten by the next call.
    /// </summary>
    public byte[] LastData => _data;

    public int LastDataLength => _dataLength;

    /// <summary>
    /// Reads a catalogued data identifier and decodes its value (a block yields its first element, the total).
    /// Date, time and address items return Ok with a default value: their bytes are in <see cref="LastData"/>.
    /// A DI not in <see cref="Dlt645Catalogue"/> for <see cref="Version"/> is <see cref="ReadStatus.UnknownPoint"/>
    /// without touching the bus (use <see cref="ReadRaw"/>).
    /// </summary>
    public ReadStatus Read(Dlt645Address address, uint dataIdentifier, out FixedDecimal value)
    {
        value = default;
        var item = Dlt645Catalogue.Find(dataIdentifier, Version);
        if (item == null)
        {
            LastError = Dlt645ErrorFlags.None;
            _dataLength = 0;
            return ReadStatus.UnknownPoint;
        }

        var status = ReadRaw(address, dataIdentifier);
        if (status != ReadStatus.Ok)
        {
            return status;
        }

        if (item.Kind == Dlt645DataKind.Numeric || item.Kind == Dlt645DataKind.Block)
        {
            return Dlt645ValueCodec.TryDecode(item, _data, 0, _dataLength, out value) ? ReadStatus.Ok : ReadStatus.Malformed;
        }

        return _dataLength == item.Length ? ReadStatus.Ok : ReadStatus.Malformed;
    }

    /// <summary>
    /// Reads any data identifier; the value bytes land in <see cref="LastData"/>. Multi-frame replies (B1 in 2007,
    /// A1 in 1997) are followed up frame by frame and concatenated.
    /// </summary>
    public ReadStatus ReadRaw(Dlt645Address address, uint dataIdentifier)
    {
        LastError = Dlt645ErrorFlags.None;
        _dataLength = 0;
        var version = Version;
        var length = Dlt645FrameEncoder.EncodeReadRequest(_request, 0, _preambleLength, version, address, dataIdentifier);
        var status = Exchange(length, address, Dlt645Control.ReadFunction(version));
        byte sequence = 0;
        while (status == ReadStatus.Ok)
        {
            var frame = _parser.Frame;
            status = AppendValueBytes(frame, version, dataIdentifier, sequence);
            if (status != ReadStatus.Ok || !frame.HasMoreFrames)
            {
                break;
            }

            if (++sequence > MaxFollowUpFrames)
            {
                status = ReadStatus.Malformed;
                break;
            }

            length = Dlt645FrameEncoder.EncodeReadFollowUpRequest(
                _request, 0, _preambleLength, version, address, dataIdentifier, sequence);
            status = Exchange(length, address, Dlt645Control.ReadFollowUpFunction(version));
        }

        if (status != ReadStatus.Ok)
        {
            _dataLength = 0;
        }

        return status;
    }

    /// <summary>
    /// Asks the only meter on the bus for its address (2007: function 13 to AA x 6; 1997: DI C032 to AA x 6).
    /// </summary>
    public ReadStatus ReadAddress(out Dlt645Address address)
    {
        address = default;
        ReadStatus status;
        if (Version == Dlt645Version.V1997)
        {
            status = ReadRaw(Dlt645Address.Wildcard, Dlt645Catalogue.MeterNumber1997);
        }
        else
        {
            LastError = Dlt645ErrorFlags.None;
            _dataLength = 0;
            var length = Dlt645FrameEncoder.EncodeReadAddressRequest(_request, 0, _preambleLength, Version);
            status = Exchange(length, Dlt645Address.Wildcard, Dlt645Control.ReadAddress);
            if (status == ReadStatus.Ok)
            {
                var frame = _parser.Frame;
                System.Array.Copy(frame.Data, _data, frame.DataLength);
                _dataLength = frame.DataLength;
            }
        }

        if (status != ReadStatus.Ok)
        {
            return status;
        }

        if (_dataLength != Dlt645Address.Length)
        {
            return ReadStatus.Malformed;
        }

        address = Dlt645Address.FromBytes(_data, 0);
        return ReadStatus.Ok;
    }

    /// <summary>
    /// Sets every meter's clock: function 08 to 99 x 6 with the local time in <see cref="BroadcastTimeOrder"/>.
    /// Meters do not reply, so Ok means sent. Years must be 2000..2099.
    /// </summary>
    public ReadStatus BroadcastTime(System.DateTime localTime)
    {
        LastError = Dlt645ErrorFlags.None;
        _dataLength = 0;
        var length = Dlt645FrameEncoder.EncodeBroadcastTime(_request, 0, _preambleLength, localTime, BroadcastTimeOrder);
        try
        {
            _link.DiscardInput();
            _link.Write(_request, 0, length);
            return ReadStatus.Ok;
        }
        catch (LinkException)
        {
            return ReadStatus.LinkDown;
        }
    }

    /// <summary>
    /// Reads the meter's clock (date then time: 04000101 + 04000102, or C010 + C011 in 1997) as local time.
    /// When the time is within the first minute of a day the date is read again, so a midnight between the two
    /// reads cannot produce a clock a day early.
    /// </summary>
    public ReadStatus ReadClock(Dlt645Address address, out System.DateTime meterTime)
    {
        meterTime = default;
        var v1997 = Version == Dlt645Version.V1997;
        var dateIdentifier = v1997 ? Dlt645Catalogue.Date1997 : Dlt645Catalogue.Date2007;
        var timeIdentifier = v1997 ? Dlt645Catalogue.Time1997 : Dlt645Catalogue.Time2007;
        var status = ReadInto(address, dateIdentifier, _date);
        if (status == ReadStatus.Ok)
        {
            status = ReadInto(address, timeIdentifier, _time);
        }

        if (status == ReadStatus.Ok && _time[2] == 0 && _time[1] == 0)
        {
            status = ReadInto(address, dateIdentifier, _date);
        }

        if (status != ReadStatus.Ok)
        {
            return status;
        }

        return Dlt645ValueCodec.TryDecodeDateTime(_date, 0, _time, 0, out meterTime) ? ReadStatus.Ok : ReadStatus.Malformed;
    }

    private ReadStatus ReadInto(Dlt645Address address, uint dataIdentifier, byte[] destination)
    {
        var status = ReadRaw(address, dataIdentifier);
        if (status != ReadStatus.Ok)
        {
            return status;
        }

        if (_dataLength != destination.Length)
        {
            return ReadStatus.Malformed;
        }

        System.Array.Copy(_data, destination, _dataLength);
        return ReadStatus.Ok;
    }

    // Sends the request in _request and waits for one reply frame, left in _parser.Frame.
    private ReadStatus Exchange(int requestLength, Dlt645Address address, byte function)
    {
        try
        {
            _link.DiscardInput();
            _parser.Reset();
            var checksumErrors = _parser.ChecksumErrors;
            _link.Write(_request, 0, requestLength);
            var deadline = _clock.MonotonicMilliseconds + _timeoutMilliseconds + TransmitMilliseconds(requestLength);
            while (true)
            {
                var remaining = deadline - _clock.MonotonicMilliseconds;
                if (remaining <= 0)
                {
                    return ReadStatus.Timeout;
                }

                var count = _link.Read(_received, 0, _received.Length, (int)remaining);
                for (var i = 0; i < count; i++)
                {
                    // Frames without the reply bit are our own request echoed by a two-wire adapter.
                    if (_parser.Feed(_received[i]) && _parser.Frame.IsReply)
                    {
                        return CheckReply(_parser.Frame, address, function);
                    }
                }

                if (_parser.ChecksumErrors != checksumErrors)
                {
                    return ReadStatus.BadChecksum;
                }
            }
        }
        catch (LinkException)
        {
            return ReadStatus.LinkDown;
        }
    }

    private ReadStatus CheckReply(Dlt645Frame frame, Dlt645Address address, byte function)
    {
        if (frame.Function != function || (!address.IsWildcard && frame.Address != address))
        {
            return ReadStatus.Malformed;
        }

        if (frame.IsErrorReply)
        {
            LastError = frame.ErrorFlags;
            return ReadStatus.ErrorReply;
        }

        return ReadStatus.Ok;
    }

    // Checks the DI (and the 2007 follow-up sequence byte) and appends the value bytes to _data.
    private ReadStatus AppendValueBytes(Dlt645Frame frame, Dlt645Version version, uint dataIdentifier, byte sequence)
    {
        if (!frame.TryGetDataIdentifier(version, out var replyIdentifier) || replyIdentifier != dataIdentifier)
        {
            return ReadStatus.Malformed;
        }

        var start = Dlt645Control.DataIdentifierLength(version);
        var count = frame.DataLength - start;
        if (sequence > 0 && version == Dlt645Version.V2007)
        {
            if (count < 1 || frame.Data[frame.DataLength - 1] != sequence)
            {
                return ReadStatus.Malformed;
            }

            count--;
        }

        if (_dataLength + count > MaxReplyDataLength)
        {
            return ReadStatus.Malformed;
        }

        if (_dataLength + count > _data.Length)
        {
            var grown = new byte[MaxReplyDataLength];
            System.Array.Copy(_data, grown, _dataLength);
            _data = grown;
        }

        System.Array.Copy(frame.Data, start, _data, _dataLength, count);
        _dataLength += count;
        return ReadStatus.Ok;
    }

    private int TransmitMilliseconds(int byteCount)
    {
        var baudRate = _link.BaudRate;
        return baudRate > 0 ? (int)(((long)byteCount * _link.BitsPerCharacter * 1000 / baudRate) + 1) : 0;
    }
}
