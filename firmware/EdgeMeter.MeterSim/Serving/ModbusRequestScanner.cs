using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>
/// Finds Modbus RTU requests in a byte stream that also carries other traffic (DL/T 645 frames, replies, noise):
/// after each byte it looks for a request that ends exactly there, starting anywhere in the bytes held, whose
/// length follows from its function code (<see cref="ModbusFrameReader.RequestLength"/>) and whose CRC is right.
/// A request with another function code has no length rule; it is recognised when the line falls silent and
/// everything since the last frame has a right CRC. Never throws.
/// </summary>
internal sealed class ModbusRequestScanner
{
    private const int MinFrameLength = 4;

    private readonly byte[] _window = new byte[2 * ModbusFrameReader.MaxFrameLength];
    private int _count;

    /// <summary>The request found, from index 0; valid after <see cref="Feed"/> or <see cref="TakeSilentFrame"/> returned true.</summary>
    public byte[] Frame { get; } = new byte[ModbusFrameReader.MaxFrameLength];

    public int Length { get; private set; }

    public void Reset() => _count = 0;

    public bool Feed(byte value)
    {
        if (_count == _window.Length)
        {
            // Nothing this old can still become a request: keep the newest frame's worth.
            var keep = ModbusFrameReader.MaxFrameLength;
            Array.Copy(_window, _count - keep, _window, 0, keep);
            _count = keep;
        }

        _window[_count++] = value;
        for (var start = 0; start <= _count - MinFrameLength; start++)
        {
            var length = _count - start;
            if (length <= Frame.Length && ExpectedLength(start) == length && TakeIfValid(start, length))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The line fell silent: a request of an unknown function may have ended. Clears what is held.</summary>
    public bool TakeSilentFrame()
    {
        var found = _count >= MinFrameLength && _count <= Frame.Length && TakeIfValid(0, _count);
        _count = 0;
        return found;
    }

    // The reader's rule; 0 (more bytes needed) cannot match a length either.
    private int ExpectedLength(int start) => ModbusFrameReader.RequestLength(_window, start, _count - start);

    private bool TakeIfValid(int start, int length)
    {
        Array.Copy(_window, start, Frame, 0, length);
        if (!ModbusCrc.Check(Frame, length))
        {
            return false;
        }

        Length = length;
        _count = 0;
        return true;
    }
}
