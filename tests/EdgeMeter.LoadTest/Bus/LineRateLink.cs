using EdgeMeter.Core.Links;
using EdgeMeter.LoadTest.Support;

namespace EdgeMeter.LoadTest.Bus;

/// <summary>
/// The master's side of an emulated RS-485 line: a write returns once the request would have left the UART
/// (bytes x bits per character / baud), as a half-duplex driver does before it releases the bus. The simulator
/// emulates the meter's side (turnaround, then the reply's own transmission time). Counts the bytes both ways, so
/// the physical minimum can be computed from what actually crossed the line.
/// </summary>
public sealed class LineRateLink(IMeterLink inner, int baud, int bitsPerCharacter) : IMeterLink, IDisposable
{
    public int BaudRate => baud;

    public int BitsPerCharacter => bitsPerCharacter;

    public long BytesWritten { get; private set; }

    public long BytesRead { get; private set; }

    public long Requests { get; private set; }

    public void Write(byte[] buffer, int offset, int count)
    {
        // The meter has the request only when its last bit has arrived: hold it for its transmission time first.
        PreciseDelay.Until(PreciseDelay.After(count * bitsPerCharacter * 1000.0 / baud));
        inner.Write(buffer, offset, count);
        BytesWritten += count;
        Requests++;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var read = inner.Read(buffer, offset, count, timeoutMilliseconds);
        BytesRead += read;
        return read;
    }

    public void DiscardInput() => inner.DiscardInput();

    public void ResetCounters()
    {
        BytesWritten = 0;
        BytesRead = 0;
        Requests = 0;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
