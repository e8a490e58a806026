using System.Net.Sockets;
using EdgeMeter.Core.Links;

namespace EdgeMeter.Pc.Links;

/// <summary>
/// A bus reached through a transparent TCP serial server (RS-485-to-Ethernet converter): raw RTU / DL/T 645 bytes
/// over a TCP stream; or, with a baud rate of 0, a Modbus TCP server. Connects lazily and reconnects on the next
/// request after a failure.
/// </summary>
public sealed class TcpMeterLink(string host, int port, int baudRate, int bitsPerCharacter, int connectTimeoutMilliseconds = 3000, string scheme = "tcp")
    : IMeterLink, IDisposable
{
    private readonly byte[] _scratch = new byte[256];
    private Socket? _socket;

    public int BaudRate { get; } = baudRate;

    public int BitsPerCharacter { get; } = bitsPerCharacter;

    public void Write(byte[] buffer, int offset, int count)
    {
        var socket = Connected();
        try
        {
            socket.Send(buffer, offset, count, SocketFlags.None);
        }
        catch (SocketException failure)
        {
            Drop();
            throw new LinkException($"{scheme}://{host}:{port}: send failed: {failure.Message}", failure);
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var socket = Connected();
        try
        {
            if (!socket.Poll(TimeSpan.FromMilliseconds(Math.Max(0, timeoutMilliseconds)), SelectMode.SelectRead))
            {
                return 0;
            }

            var read = socket.Receive(buffer, offset, count, SocketFlags.None);
            if (read == 0)
            {
                Drop();
                throw new LinkException($"{scheme}://{host}:{port}: the server closed the connection");
            }

            return read;
        }
        catch (SocketException failure)
        {
            Drop();
            throw new LinkException($"{scheme}://{host}:{port}: receive failed: {failure.Message}", failure);
        }
    }

    public void DiscardInput()
    {
        var socket = Connected();
        while (socket.Available > 0)
        {
            socket.Receive(_scratch, 0, Math.Min(_scratch.Length, socket.Available), SocketFlags.None);
        }
    }

    public void Dispose() => Drop();

    private Socket Connected()
    {
        if (_socket is { Connected: true })
        {
            return _socket;
        }

        Drop();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cancel = new CancellationTokenSource(connectTimeoutMilliseconds);
            socket.ConnectAsync(host, port, cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception failure) when (failure is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = failure is OperationCanceledException ? $"no answer within {connectTimeoutMilliseconds} ms" : failure.Message;
            throw new LinkException($"{scheme}://{host}:{port}: cannot connect: {reason}", failure);
        }

        _socket = socket;
        return socket;
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
