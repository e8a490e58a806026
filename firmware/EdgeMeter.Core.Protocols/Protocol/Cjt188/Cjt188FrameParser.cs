namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// Finds CJ/T 188 frames in a byte stream fed one byte at a time: skips any number of FE preamble bytes and noise,
/// takes the length from L, checks CS and the end byte, and starts again at the next 68 after a false start. Never
/// throws; nothing is allocated after construction.
/// </summary>
public sealed class Cjt188FrameParser
{
    private const byte StartByte = 0x68;
    private const byte EndByte = 0x16;

    /// <summary>68 T A0..A6 C L.</summary>
    private const int HeaderLength = 11;

    private readonly byte[] _window = new byte[HeaderLength + Cjt188Frame.MaxDataLength + 2];
    private int _count;

    /// <summary>The last frame decoded; valid after <see cref="Feed"/> returned true.</summary>
    public Cjt188Frame Frame { get; } = new Cjt188Frame();

    /// <summary>Complete frames dropped because CS was wrong.</summary>
    public int ChecksumErrors { get; private set; }

    public void Reset()
    {
        _count = 0;
    }

    /// <summary>Adds one byte; true when it completed a frame with a right checksum.</summary>
    public bool Feed(byte value)
    {
        if (_count == 0 && value != StartByte)
        {
            return false;
        }

        _window[_count++] = value;
        while (_count > 0)
        {
            if (_count < HeaderLength)
            {
                return false;
            }

            var length = _window[HeaderLength - 1];
            if (length > Cjt188Frame.MaxDataLength)
            {
                Resynchronise();
                continue;
            }

            var total = HeaderLength + length + 2;
            if (_count < total)
            {
                return false;
            }

            if (_window[total - 1] == EndByte && _window[total - 2] == Checksum(_window, total - 2))
            {
                Take(length);
                _count = 0;
                return true;
            }

            if (_window[total - 1] == EndByte)
            {
                ChecksumErrors++;
            }

            Resynchronise();
        }

        return false;
    }

    /// <summary>The byte sum of <c>frame[0..count)</c>, mod 256.</summary>
    public static byte Checksum(byte[] frame, int count)
    {
        return Checksum(frame, 0, count);
    }

    public static byte Checksum(byte[] frame, int offset, int count)
    {
        var sum = 0;
        for (var i = offset; i < offset + count; i++)
        {
            sum += frame[i];
        }

        return (byte)sum;
    }

    private void Take(int length)
    {
        var frame = Frame;
        frame.MeterType = _window[1];
        frame.Address = Cjt188Address.FromBytes(_window, 2);
        frame.Control = _window[9];
        frame.DataLength = length;
        System.Array.Copy(_window, HeaderLength, frame.Data, 0, length);
    }

    /// <summary>Drops the false start and keeps what follows from the next 68 on.</summary>
    private void Resynchronise()
    {
        var next = 1;
        while (next < _count && _window[next] != StartByte)
        {
            next++;
        }

        System.Array.Copy(_window, next, _window, 0, _count - next);
        _count -= next;
    }
}
