namespace EdgeMeter.Core.Links;

/// <summary>
/// A half-duplex byte link to one RS-485 bus: a UART on the ESP32, a serial port or a TCP serial server on a PC.
/// Masters own the framing; a link only moves bytes.
/// </summary>
public interface IMeterLink
{
    /// <summary>Line rate in bits per second; masters derive character times and inter-frame silence from it.</summary>
    int BaudRate { get; }

    /// <summary>Bits per character on the wire (start + data + parity + stop), e.g. 11 for 8E1.</summary>
    int BitsPerCharacter { get; }

    /// <summary>Sends the bytes. Throws <see cref="LinkException"/> when the link is down.</summary>
    void Write(byte[] buffer, int offset, int count);

    /// <summary>
    /// Reads whatever has arrived, up to <paramref name="count"/> bytes, waiting at most
    /// <paramref name="timeoutMilliseconds"/> for the first byte. Returns the number read; 0 means nothing arrived.
    /// Throws <see cref="LinkException"/> when the link is down.
    /// </summary>
    int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

    /// <summary>Drops any bytes already received (stale replies, line noise) before a new request.</summary>
    void DiscardInput();
}
