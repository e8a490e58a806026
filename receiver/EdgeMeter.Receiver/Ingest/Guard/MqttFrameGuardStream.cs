namespace EdgeMeter.Receiver.Ingest.Guard;

/// <summary>
/// Reads an MQTT connection's bytes as they pass and ends the connection at the length field of a packet that is too
/// large, before the broker allocates its body: the first packet must be a CONNECT of at most
/// <paramref name="maxConnectBytes"/>, every later one at most <paramref name="maxPacketBytes"/> (remaining length).
/// <paramref name="connected"/> runs once the first packet has arrived whole; <paramref name="refused"/> is told why a
/// connection ends before the read fails.
/// </summary>
public sealed class MqttFrameGuardStream(Stream inner, int maxConnectBytes, int maxPacketBytes, Action connected, Action<string>? refused = null) : Stream
{
    private const int ConnectType = 1;

    private bool _firstDone;
    private int _packetType = -1;
    private int _lengthBytes;
    private int _length;
    private int _multiplier = 1;
    private long _bodyLeft;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Inspect(buffer.AsSpan(offset, await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Follows the packet framing through <paramref name="bytes"/>; throws at the first byte that breaks a limit.</summary>
    private int Inspect(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_bodyLeft > 0)
            {
                var take = (int)Math.Min(_bodyLeft, bytes.Length - i);
                _bodyLeft -= take;
                i += take;
                if (_bodyLeft == 0)
                {
                    PacketDone();
                }
            }
            else if (_packetType < 0)
            {
                _packetType = bytes[i++] >> 4;
                if (!_firstDone && _packetType != ConnectType)
                {
                    Refuse("a first packet that is not a CONNECT");
                }
            }
            else
            {
                LengthByte(bytes[i++]);
            }
        }

        return bytes.Length;
    }

    private void LengthByte(byte encoded)
    {
        _length += (encoded & 0x7F) * _multiplier;
        _multiplier *= 128;
        if (++_lengthBytes > 4)
        {
            Refuse("a remaining length of more than 4 bytes");
        }

        if ((encoded & 0x80) != 0)
        {
            return;
        }

        var limit = _firstDone ? maxPacketBytes : maxConnectBytes;
        if (_length > limit)
        {
            Refuse(_firstDone ? $"a packet over {limit} bytes" : $"a CONNECT over {limit} bytes");
        }

        _bodyLeft = _length;
        if (_bodyLeft == 0)
        {
            PacketDone();
        }
    }

    private void Refuse(string why)
    {
        refused?.Invoke(why);
        throw new IOException($"closed: {why}");
    }

    private void PacketDone()
    {
        (_packetType, _lengthBytes, _length, _multiplier) = (-1, 0, 0, 1);
        if (!_firstDone)
        {
            _firstDone = true;
            connected();
        }
    }
}
