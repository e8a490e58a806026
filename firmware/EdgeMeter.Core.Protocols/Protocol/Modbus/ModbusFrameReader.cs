namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Assembles one RTU frame from bytes arriving in pieces. RTU frames carry no length field, so the reader works
/// the length out from the function code and, where there is one, the byte count; it never asks for a byte past
/// the end of the frame. One reader reads responses (master side), another requests (server side).
/// Never throws on arbitrary bytes.
/// </summary>
public sealed class ModbusFrameReader
{
    /// <summary>The largest RTU frame: unit + 253-byte PDU + CRC.</summary>
    public const int MaxFrameLength = 256;

    private const int Unknown = 0;
    private const int Impossible = -1;

    private readonly bool _readsRequests;
    private readonly byte[] _buffer = new byte[MaxFrameLength];
    private int _length;
    private int _frameLength;

    private ModbusFrameReader(bool readsRequests)
    {
        _readsRequests = readsRequests;
    }

    /// <summary>The frame's bytes so far, from index 0. A caller may read into it at <see cref="Length"/>.</summary>
    public byte[] Buffer => _buffer;

    public int Length => _length;

    public ModbusFrameState State { get; private set; }

    /// <summary>How many bytes to read next: up to the end of the header while the length is unknown, then up to
    /// the end of the frame. 0 once the state is no longer <see cref="ModbusFrameState.Incomplete"/>.</summary>
    public int Missing
    {
        get
        {
            if (State != ModbusFrameState.Incomplete)
            {
                return 0;
            }

            return (_frameLength > 0 ? _frameLength : HeaderLength()) - _length;
        }
    }

    /// <summary>A reader for replies from servers (what a master receives).</summary>
    public static ModbusFrameReader ForResponses() => new ModbusFrameReader(false);

    /// <summary>A reader for requests from a master (what a server receives).</summary>
    public static ModbusFrameReader ForRequests() => new ModbusFrameReader(true);

    public void Reset()
    {
        _length = 0;
        _frameLength = Unknown;
        State = ModbusFrameState.Incomplete;
    }

    /// <summary>Accounts for <paramref name="count"/> bytes the caller placed in <see cref="Buffer"/> at
    /// <see cref="Length"/> (at most <see cref="Missing"/>; a negative or larger count is clamped).</summary>
    public void Advance(int count)
    {
        var missing = Missing;
        if (count <= 0 || missing == 0)
        {
            return;
        }

        _length += count < missing ? count : missing;
        Update();
    }

    /// <summary>Copies in as many bytes as the frame still needs and returns how many it took.</summary>
    public int Append(byte[] source, int offset, int count)
    {
        var taken = 0;
        while (taken < count && State == ModbusFrameState.Incomplete)
        {
            var missing = Missing;
            var chunk = count - taken < missing ? count - taken : missing;
            System.Array.Copy(source, offset + taken, _buffer, _length, chunk);
            taken += chunk;
            Advance(chunk);
        }

        return taken;
    }

    private void Update()
    {
        if (_frameLength == Unknown)
        {
            _frameLength = _readsRequests ? RequestLength() : ResponseLength();
        }

        if (_frameLength == Impossible)
        {
            State = ModbusFrameState.Unframeable;
        }
        else if (_frameLength > 0 && _length >= _frameLength)
        {
            State = ModbusCrc.Check(_buffer, _length) ? ModbusFrameState.Complete : ModbusFrameState.BadChecksum;
        }
    }

    private int HeaderLength()
    {
        if (_length < 2)
        {
            return 2;
        }

        // Unit and function are in; the byte count follows them in a read reply, and sits after
        // address and quantity in a write-multiple request.
        return _readsRequests ? 7 : 3;
    }

    private int ResponseLength()
    {
        if (_length < 2)
        {
            return Unknown;
        }

        var function = _buffer[1];
        if ((function & 0x80) != 0)
        {
            return 5;
        }

        switch (function)
        {
            case 0x01:
            case 0x02:
            case 0x03:
            case 0x04:
                if (_length < 3)
                {
                    return Unknown;
                }

                var byteCount = _buffer[2];
                return byteCount == 0 || 5 + byteCount > MaxFrameLength ? Impossible : 5 + byteCount;
            case 0x05:
            case 0x06:
            case 0x0F:
            case 0x10:
                return 8;
            default:
                return Impossible;
        }
    }

    private int RequestLength() => RequestLength(_buffer, 0, _length);

    /// <summary>
    /// The length of the request that starts at <c>frame[start]</c>, from the <paramref name="count"/> bytes there:
    /// 0 while more are needed to tell, -1 for a function without a length rule or a length past the largest frame.
    /// (Functions 01-06 take 8 bytes; 0F and 10 take 9 plus their byte count.)
    /// </summary>
    public static int RequestLength(byte[] frame, int start, int count)
    {
        if (count < 2)
        {
            return Unknown;
        }

        switch (frame[start + 1])
        {
            case 0x01:
            case 0x02:
            case 0x03:
            case 0x04:
            case 0x05:
            case 0x06:
                return 8;
            case 0x0F:
            case 0x10:
                if (count < 7)
                {
                    return Unknown;
                }

                return 9 + frame[start + 6] > MaxFrameLength ? Impossible : 9 + frame[start + 6];
            default:
                return Impossible;
        }
    }
}
