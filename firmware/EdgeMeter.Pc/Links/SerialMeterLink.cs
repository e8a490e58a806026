using System.IO.Ports;
using EdgeMeter.Core.Links;

namespace EdgeMeter.Pc.Links;

/// <summary>A bus on a local serial port: a USB RS-485 adapter, or a pty in bench tests (ptys refuse parity).</summary>
public sealed class SerialMeterLink : IMeterLink, IDisposable
{
    private readonly SerialPort _port;
    private readonly string _name;

    public SerialMeterLink(LinkAddress address)
    {
        _name = address.ToString();
        BaudRate = address.Baud;
        BitsPerCharacter = address.BitsPerCharacter;
        _port = new SerialPort(address.Target, address.Baud, address.Parity, address.DataBits, address.StopBits)
        {
            Handshake = Handshake.None,
            ReadTimeout = 1000,
            WriteTimeout = 1000,
        };
    }

    public int BaudRate { get; }

    public int BitsPerCharacter { get; }

    public void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            Opened().Write(buffer, offset, count);
        }
        catch (Exception failure) when (failure is IOException or TimeoutException or InvalidOperationException)
        {
            throw new LinkException($"{_name}: write failed: {failure.Message}", failure);
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var port = Opened();
        try
        {
            port.ReadTimeout = Math.Max(1, timeoutMilliseconds);
            return port.Read(buffer, offset, count);
        }
        catch (TimeoutException)
        {
            return 0;
        }
        catch (Exception failure) when (failure is IOException or InvalidOperationException)
        {
            throw new LinkException($"{_name}: read failed: {failure.Message}", failure);
        }
    }

    public void DiscardInput()
    {
        if (_port.IsOpen)
        {
            _port.DiscardInBuffer();
        }
    }

    public void Dispose() => _port.Dispose();

    private SerialPort Opened()
    {
        if (_port.IsOpen)
        {
            return _port;
        }

        if (!OperatingSystem.IsWindows() && !File.Exists(_port.PortName))
        {
            throw new LinkException($"{_name}: cannot open the serial port: no such device");
        }

        try
        {
            _port.Open();
            return _port;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new LinkException($"{_name}: cannot open the serial port: {failure.Message}", failure);
        }
    }
}
