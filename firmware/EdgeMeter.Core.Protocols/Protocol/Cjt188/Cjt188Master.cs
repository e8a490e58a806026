using EdgeMeter.Core.Links;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// CJ/T 188-2004 client for water, gas and heat meters on one RS-485 or M-Bus line (through a level converter):
/// read a meter's current data (DI 901FH), read the address of a meter alone on its line. What public sources and real
/// meters show (docs/cjt188.md) decides what a reply must match: it comes from a meter (C bit 7), for the function asked,
/// from the address asked, with the DI in either byte order and a type of the same family (a heat meter asked as 20H
/// may answer as 25H); the sequence number is not required to come back. Meter failures come back as a
/// <see cref="ReadStatus"/>; nothing is allocated per call. Not thread-safe: one master per link.
/// </summary>
public sealed class Cjt188Master
{
    public const int DefaultTimeoutMilliseconds = 1500;

    private readonly IMeterLink _link;
    private readonly IClock _clock;
    private readonly byte[] _request = new byte[Cjt188FrameEncoder.MaxRequestLength];
    private readonly byte[] _receive = new byte[64];
    private readonly Cjt188FrameParser _parser = new Cjt188FrameParser();
    private byte _sequence;

    public Cjt188Master(IMeterLink link, IClock clock)
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
        TimeoutMilliseconds = DefaultTimeoutMilliseconds;
    }

    /// <summary>How long one call waits for the whole reply (a heat meter's 61 bytes take 280 ms at 2400 baud).</summary>
    public int TimeoutMilliseconds { get; set; }

    /// <summary>The last reply (valid after a call that returned Ok or ErrorReply).</summary>
    public Cjt188Frame LastReply => _parser.Frame;

    /// <summary>
    /// Reads DI 901FH into <paramref name="data"/>. <paramref name="swapped"/>: the meter wants the DI as <c>1F 90</c>.
    /// Malformed when the reply's layout is neither a water/gas nor a heat meter's, or a unit code is unknown.
    /// </summary>
    public ReadStatus ReadCurrent(byte meterType, Cjt188Address address, bool swapped, Cjt188CurrentData data)
    {
        var status = Transact(meterType, address, Cjt188FrameEncoder.ReadDataFunction, Cjt188FrameEncoder.CurrentDataIdentifier, swapped);
        if (status != ReadStatus.Ok)
        {
            return status;
        }

        var reply = _parser.Frame;
        return data.TryDecode(reply.Data, reply.DataLength) ? ReadStatus.Ok : ReadStatus.Malformed;
    }

    /// <summary>The type and address of the one meter on the line (broadcast; with several meters the replies collide).</summary>
    public ReadStatus ReadAddress(out byte meterType, out Cjt188Address address)
    {
        meterType = 0;
        address = default;
        var status = Transact(Cjt188MeterType.Any, Cjt188Address.Broadcast, Cjt188FrameEncoder.ReadAddressFunction, Cjt188FrameEncoder.AddressIdentifier, false);
        if (status == ReadStatus.Ok)
        {
            meterType = _parser.Frame.MeterType;
            address = _parser.Frame.Address;
        }

        return status;
    }

    private ReadStatus Transact(byte meterType, Cjt188Address address, byte function, int identifier, bool swapped)
    {
        _sequence++;
        var length = Cjt188FrameEncoder.EncodeRequest(_request, meterType, address, function, identifier, swapped, _sequence);
        try
        {
            _link.DiscardInput();
            _link.Write(_request, 0, length);
            var deadline = _clock.MonotonicMilliseconds + TimeoutMilliseconds;
            _parser.Reset();
            var checksumErrors = _parser.ChecksumErrors;
            while (true)
            {
                var remaining = deadline - _clock.MonotonicMilliseconds;
                if (remaining <= 0)
                {
                    return _parser.ChecksumErrors > checksumErrors ? ReadStatus.BadChecksum : ReadStatus.Timeout;
                }

                var count = _link.Read(_receive, 0, _receive.Length, (int)remaining);
                for (var i = 0; i < count; i++)
                {
                    if (_parser.Feed(_receive[i]) && Answers(_parser.Frame, meterType, address, function, identifier))
                    {
                        return _parser.Frame.IsAbnormal ? ReadStatus.ErrorReply : ReadStatus.Ok;
                    }
                }
            }
        }
        catch (LinkException)
        {
            return ReadStatus.LinkDown;
        }
    }

    /// <summary>A frame answers the request: from a meter, same function, same address, same DI in either order.</summary>
    private static bool Answers(Cjt188Frame reply, byte meterType, Cjt188Address address, byte function, int identifier)
    {
        if (!reply.IsReply || reply.Function != function)
        {
            return false;
        }

        if (!address.IsBroadcast && reply.Address != address)
        {
            return false;
        }

        if (meterType != Cjt188MeterType.Any && Cjt188MeterType.Family(reply.MeterType) != Cjt188MeterType.Family(meterType))
        {
            return false;
        }

        // An abnormal reply need not carry the DI (its data is SER and ST).
        var di = reply.DataIdentifier;
        var swappedDi = ((di & 0xFF) << 8) | (di >> 8);
        return reply.IsAbnormal || di == identifier || swappedDi == identifier;
    }
}
