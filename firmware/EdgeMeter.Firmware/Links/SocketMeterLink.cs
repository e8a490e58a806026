using System;
using System.Net;
using System.Net.Sockets;
using EdgeMeter.Core.Links;

namespace EdgeMeter.Firmware.Links;

/// <summary>
/// A TCP connection to a Modbus TCP server (a PLC, a DCS or a Modbus TCP gateway) over the board's Wi-Fi or
/// Ethernet. Connects on first use and again on the next request after a failure; the gateway opens connections to
/// the configured server only and accepts none.
/// </summary>
/// <remarks>
/// nanoFramework's Socket.Receive blocks for ReceiveTimeout (infinite by default) until data arrives, so
/// <see cref="Read"/> waits with Poll (microseconds) and then takes only what <c>Available</c> reports: a socket that
/// polls readable with nothing available was closed by the server.
/// </remarks>
public sealed class SocketMeterLink : IMeterLink, IDisposable
{
    private const int SendTimeoutMilliseconds = 5000;

    private readonly string _host;
    private readonly int _port;
    private readonly byte[] _scratch = new byte[64];
    private Socket? _socket;

    public SocketMeterLink(string host, int port)
    {
        _host = host;
        _port = port;
    }

    /// <summary>0: no line rate, so the masters keep no inter-frame silence.</summary>
    public int BaudRate => 0;

    public int BitsPerCharacter => 10;

    public void Write(byte[] buffer, int offset, int count)
    {
        var socket = Connected();
        try
        {
            socket.Send(buffer, offset, count, SocketFlags.None);
        }
        catch (Exception failure)
        {
            throw Dropped("send failed: " + failure.Message, failure);
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var socket = Connected();
        try
        {
            if (!socket.Poll(timeoutMilliseconds < 0 ? 0 : timeoutMilliseconds * 1000, SelectMode.SelectRead))
            {
                return 0;
            }

            var available = socket.Available;
            if (available == 0)
            {
                throw Dropped("the server closed the connection", null);
            }

            return socket.Receive(buffer, offset, available < count ? available : count, SocketFlags.None);
        }
        catch (LinkException)
        {
            throw;
        }
        catch (Exception failure)
        {
            throw Dropped("receive failed: " + failure.Message, failure);
        }
    }

    public void DiscardInput()
    {
        if (_socket == null)
        {
            return;
        }

        try
        {
            int available;
            while ((available = _socket.Available) > 0)
            {
                _socket.Receive(_scratch, 0, available < _scratch.Length ? available : _scratch.Length, SocketFlags.None);
            }
        }
        catch (Exception failure)
        {
            throw Dropped("receive failed: " + failure.Message, failure);
        }
    }

    public void Dispose()
    {
        Close();
    }

    private Socket Connected()
    {
        if (_socket != null)
        {
            return _socket;
        }

        Socket? socket = null;
        try
        {
            var addresses = Dns.GetHostEntry(_host).AddressList;
            if (addresses.Length == 0)
            {
                throw new LinkException(Name() + ": the name does not resolve");
            }

            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SendTimeout = SendTimeoutMilliseconds;
            socket.Connect(new IPEndPoint(addresses[0], _port));
            _socket = socket;
            return socket;
        }
        catch (LinkException)
        {
            throw;
        }
        catch (Exception failure)
        {
            if (socket != null)
            {
                socket.Close();
            }

            throw new LinkException(Name() + ": cannot connect: " + failure.Message, failure);
        }
    }

    private LinkException Dropped(string why, Exception? cause)
    {
        Close();
        return cause == null ? new LinkException(Name() + ": " + why) : new LinkException(Name() + ": " + why, cause);
    }

    private void Close()
    {
        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }
    }

    private string Name() => "modbus-tcp://" + _host + ":" + _port.ToString();
}
