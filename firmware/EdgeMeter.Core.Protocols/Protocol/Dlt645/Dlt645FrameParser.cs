namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// Finds DL/T 645 frames in a byte stream fed one byte at a time. Skips FE preambles and noise, uses the
/// length byte L to find the end (CS or DATA may be 0x16), resynchronises after false starts, and never throws.
/// A decoded frame is reported once, when its last byte arrives; it stays in <see cref="Frame"/> until the
/// next one. Works in fixed buffers: nothing is allocated after construction.
/// </summary>
public sealed class Dlt645FrameParser
{
    private const byte StartByte = 0x68;
    private const byte EndByte = 0x16;
    private const int HeaderLength = 10; // 68 A0..A5 68 C L
    private const int MaxFrameLength = HeaderLength + Dlt645Frame.MaxDataLength + 2;

    // Bytes from the current candidate start; _window[0] is always 0x68 while _count > 0.
    private readonly byte[] _window = new byte[MaxFrameLength + 1];
    private int _count;

    /// <summary>The last frame decoded; valid after <see cref="Feed"/> returned true.</summary>
    public Dlt645Frame Frame { get; } = new Dlt645Frame();

    /// <summary>Complete frames (start, L and end byte consistent) dropped because CS was wrong.</summary>
    public int ChecksumErrors { get; private set; }

    /// <summary>Forgets any partial frame (before a new request).</summary>
    public void Reset()
    {
        _count = 0;
    }

    /// <summary>Adds one received byte. Returns true when it completed a frame with a valid checksum.</summary>
    public bool Feed(byte value)
    {
        if (_count == 0 && value != StartByte)
        {
            return false;
        }

        _window[_count++] = value;
        while (_count >= 8)
        {
            if (_window[7] != StartByte)
            {
                DropFront(1);
                continue;
            }

            if (_count < HeaderLength)
            {
                return false;
            }

            var total = FrameLengthAt(0);
            if (_count < total)
            {
                // The candidate at the front may be a false start whose L points far ahead: a real frame that
                // ends with this very byte must not wait behind it.
                return value == EndByte && TryCompleteLaterFrame();
            }

            if (_window[total - 1] != EndByte)
            {
                DropFront(1);
                continue;
            }

            if (Checksum(0, total) != _window[total - 2])
            {
                ChecksumErrors++;
                DropFront(total);
                continue;
            }

            Decode(0);
            DropFront(total);
            return true;
        }

        return false;
    }

    private int FrameLengthAt(int start) => HeaderLength + _window[start + 9] + 2;

    private bool TryCompleteLaterFrame()
    {
        for (var start = 1; start + HeaderLength + 2 <= _count; start++)
        {
            if (_window[start] != StartByte || _window[start + 7] != StartByte)
            {
                continue;
            }

            var total = FrameLengthAt(start);
            if (start + total == _count && Checksum(start, total) == _window[_count - 2])
            {
                Decode(start);
                _count = 0;
                return true;
            }
        }

        return false;
    }

    private byte Checksum(int start, int total)
    {
        var sum = 0;
        for (var i = start; i < start + total - 2; i++)
        {
            sum += _window[i];
        }

        return (byte)sum;
    }

    private void Decode(int start)
    {
        var frame = Frame;
        frame.Address = Dlt645Address.FromBytes(_window, start + 1);
        frame.Control = _window[start + 8];
        var length = _window[start + 9];
        var data = frame.Data;
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)(_window[start + HeaderLength + i] - 0x33);
        }

        frame.DataLength = length;
    }

    // Drops at least `count` bytes, then everything up to the next 0x68.
    private void DropFront(int count)
    {
        var next = count;
        while (next < _count && _window[next] != StartByte)
        {
            next++;
        }

        var remaining = _count - next;
        for (var i = 0; i < remaining; i++)
        {
            _window[i] = _window[next + i];
        }

        _count = remaining;
    }
}
