using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.MeterSim.Protocol.Dlt645;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

/// <summary>
/// A 2007 meter with prebuilt replies, answering through <see cref="Fakes.ScriptedLink.Responder"/>: voltage,
/// the forward energy block in three frames, date and time; an error reply for anything else. Allocation-free.
/// </summary>
internal sealed class FakeDlt645Meter
{
    private readonly Dlt645FrameParser _parser = new();
    private readonly byte[] _voltage;
    private readonly byte[][] _block;
    private readonly byte[] _date;
    private readonly byte[] _time;
    private readonly byte[] _error;

    public FakeDlt645Meter(Dlt645Address address)
    {
        var when = new DateTime(2025, 6, 1, 12, 0, 0);
        var date = new byte[4];
        var time = new byte[3];
        Dlt645ValueCodec.EncodeDate(when, date, 0);
        Dlt645ValueCodec.EncodeTime(when, time, 0);
        var block = Hex("67 45 23 01  11 11 00 00  22 22 00 00  33 33 00 00  44 44 00 00");
        _voltage = ReadReply(address, 0x02010100, ValueBytes(0x02010100, "220.1"));
        _date = ReadReply(address, 0x04000101, date);
        _time = ReadReply(address, 0x04000102, time);
        _block = new[]
        {
            ReadReply(address, 0x0001FF00, block[..8], more: true),
            Build(b => Dlt645ReplyEncoder.EncodeReadFollowUpReply(
                b, 0, 4, Dlt645Version.V2007, address, 0x0001FF00, block, 8, 8, 1, true)),
            Build(b => Dlt645ReplyEncoder.EncodeReadFollowUpReply(
                b, 0, 4, Dlt645Version.V2007, address, 0x0001FF00, block, 16, 4, 2, false)),
        };
        _error = Build(b => Dlt645ReplyEncoder.EncodeErrorReply(
            b, 0, 4, address, Dlt645Control.Read, Dlt645ErrorFlags.NoRequestedData));
    }

    public byte[]? Respond(byte[] buffer, int offset, int count)
    {
        _parser.Reset();
        for (var i = 0; i < count; i++)
        {
            if (_parser.Feed(buffer[offset + i]))
            {
                return Answer(_parser.Frame);
            }
        }

        return null;
    }

    private byte[]? Answer(Dlt645Frame request)
    {
        if (!request.TryGetDataIdentifier(Dlt645Version.V2007, out var di))
        {
            return null;
        }

        if (request.Function == Dlt645Control.ReadFollowUp)
        {
            var sequence = request.Data[4];
            return di == 0x0001FF00 && sequence is 1 or 2 ? _block[sequence] : _error;
        }

        return di switch
        {
            0x02010100 => _voltage,
            0x0001FF00 => _block[0],
            0x04000101 => _date,
            0x04000102 => _time,
            _ => _error,
        };
    }
}
