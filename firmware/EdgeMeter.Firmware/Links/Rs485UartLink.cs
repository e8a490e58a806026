using System;
using System.IO.Ports;
using System.Threading;
using EdgeMeter.Core.Links;
using EdgeMeter.Firmware.Board;
using nanoFramework.Hardware.Esp32;

namespace EdgeMeter.Firmware.Links;

/// <summary>
/// One RS-485 bus on an ESP32 UART (COM2 or COM3) in ESP-IDF half-duplex mode: the UART raises RTS, wired to the
/// transceiver's DE and /RE, while it transmits. Pins follow the board table (nf-boards.md section 2).
/// </summary>
/// <remarks>
/// Where nanoFramework's SerialPort differs from desktop .NET, and what this class does about it:
/// <list type="bullet">
/// <item>SerialPort.Read(buffer, offset, count) blocks until all <c>count</c> bytes are in the receive ring or
/// throws TimeoutException: there are no partial reads. <see cref="Read"/> therefore waits for one byte with
/// ReadTimeout set to the caller's timeout and then takes only what <c>BytesToRead</c> says is there.</item>
/// <item>ReadTimeout and WriteTimeout default to infinite; both are always set here.</item>
/// <item>ReadBufferSize is the size of the one ring buffer the driver allocates in Open (default 256); it can only
/// be set before Open.</item>
/// <item>Received bytes reach the ring only when the ESP-IDF driver reports them: after the line has been idle for
/// about ten character times or the 120-byte FIFO threshold is reached. A reply is seen as a whole, a little late;
/// the masters' timeouts are far longer than that.</item>
/// <item>Write returns once the bytes are in the 128-byte hardware FIFO, not once they are on the wire. RTS stays
/// high until the FIFO is empty (and may lag by up to ~2 ms). <see cref="Write"/> therefore also waits for the FIFO
/// to drain plus <see cref="TurnaroundMarginMilliseconds"/>, so that when it returns the bus is released.</item>
/// <item>A timeout allocates a TimeoutException on the device; it happens only when a meter stays silent.</item>
/// </list>
/// </remarks>
public sealed class Rs485UartLink : IMeterLink, IDisposable
{
    /// <summary>Time allowed after the last stop bit for RTS (DE) to fall and the transceiver to turn around.</summary>
    public const int TurnaroundMarginMilliseconds = 3;

    private const int HardwareFifoBytes = 128;
    private const int WriteTimeoutSlackMilliseconds = 500;

    private readonly SerialPort _port;
    private readonly string _name;
    private readonly byte[] _discard = new byte[64];
    private bool _disposed;

    /// <param name="pins">The bus's pins from <see cref="BoardPins"/>.</param>
    /// <param name="readBufferSize">Receive ring size in bytes; must hold the longest reply (DL/T 645 frames reach ~220).</param>
    public Rs485UartLink(BusPins pins, int baudRate, Parity parity, StopBits stopBits, int readBufferSize = 512)
    {
        _name = pins.Port;
        BaudRate = baudRate;
        BitsPerCharacter = 1 + 8 + (parity == Parity.None ? 0 : 1) + (stopBits == StopBits.One ? 1 : 2);

        // COM2 and COM3 have no default pins: they must be assigned before Open, or Open fails (TX/RX) or drives
        // whatever pin the default table names (ESP32-S3).
        var functions = PinFunctions(pins.Port);
        Configuration.SetPinFunction(pins.Tx, functions[0]);
        Configuration.SetPinFunction(pins.Rx, functions[1]);
        Configuration.SetPinFunction(pins.Rts, functions[2]);

        _port = new SerialPort(pins.Port, baudRate, parity, 8, stopBits);
        _port.Handshake = Handshake.None;
        _port.Mode = SerialMode.RS485;
        _port.ReadBufferSize = readBufferSize;
        _port.ReadTimeout = 1000;
        _port.WriteTimeout = 1000;
    }

    public int BaudRate { get; }

    public int BitsPerCharacter { get; }

    public void Write(byte[] buffer, int offset, int count)
    {
        var port = Opened();
        try
        {
            port.WriteTimeout = TransmitMilliseconds(count) + WriteTimeoutSlackMilliseconds;
            port.Write(buffer, offset, count);
        }
        catch (Exception failure)
        {
            throw new LinkException(_name + ": write failed: " + failure.Message, failure);
        }

        // The last FIFO-full of bytes is still being shifted out; RTS drops after it.
        Thread.Sleep(TransmitMilliseconds(count < HardwareFifoBytes ? count : HardwareFifoBytes) + TurnaroundMarginMilliseconds);
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (count <= 0)
        {
            return 0;
        }

        var port = Opened();
        try
        {
            if (port.BytesToRead > 0)
            {
                return TakeAvailable(port, buffer, offset, count);
            }

            if (timeoutMilliseconds <= 0)
            {
                return 0;
            }

            port.ReadTimeout = timeoutMilliseconds;
            port.Read(buffer, offset, 1);
            return 1 + TakeAvailable(port, buffer, offset + 1, count - 1);
        }
        catch (TimeoutException)
        {
            return 0;
        }
        catch (Exception failure)
        {
            throw new LinkException(_name + ": read failed: " + failure.Message, failure);
        }
    }

    public void DiscardInput()
    {
        if (!_port.IsOpen)
        {
            return;
        }

        try
        {
            // nanoFramework's SerialPort has no DiscardInBuffer: drain what is there, in bounded steps.
            for (var round = 0; round < 64; round++)
            {
                var available = _port.BytesToRead;
                if (available <= 0)
                {
                    return;
                }

                _port.Read(_discard, 0, available < _discard.Length ? available : _discard.Length);
            }
        }
        catch (Exception failure)
        {
            throw new LinkException(_name + ": discard failed: " + failure.Message, failure);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _port.Dispose();
        }
    }

    private static int TakeAvailable(SerialPort port, byte[] buffer, int offset, int count)
    {
        var available = port.BytesToRead;
        var take = available < count ? available : count;
        return take > 0 ? port.Read(buffer, offset, take) : 0;
    }

    private int TransmitMilliseconds(int byteCount) =>
        (int)((((long)byteCount * BitsPerCharacter * 1000) + BaudRate - 1) / BaudRate);

    private SerialPort Opened()
    {
        if (_disposed)
        {
            throw new LinkException(_name + ": the link is closed");
        }

        if (_port.IsOpen)
        {
            return _port;
        }

        try
        {
            _port.Open();
            return _port;
        }
        catch (Exception failure)
        {
            // Pins never set or input-only for TX/RTS, the UART owned by the debugger, or no memory for the ring.
            throw new LinkException(_name + ": cannot open the UART: " + failure.Message, failure);
        }
    }

    private static DeviceFunction[] PinFunctions(string port)
    {
        if (port == "COM2")
        {
            return new[] { DeviceFunction.COM2_TX, DeviceFunction.COM2_RX, DeviceFunction.COM2_RTS };
        }

        if (port == "COM3")
        {
            return new[] { DeviceFunction.COM3_TX, DeviceFunction.COM3_RX, DeviceFunction.COM3_RTS };
        }

        throw new ArgumentException("RS-485 buses use COM2 or COM3, not " + port);
    }
}
