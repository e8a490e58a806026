using EdgeMeter.Core.Links;

namespace EdgeMeter.Core.Tests.Fakes;

/// <summary>
/// An in-memory RS-485 link for master tests. Each Write takes the next scripted reply (or asks <see cref="Server"/>,
/// or falls back to <see cref="RepeatedReply"/>); the reply is delivered one chunk per Read, so a frame can be split
/// across reads, and a chunk may be delayed. A Read with nothing to deliver advances the fake clock by its timeout and
/// returns 0. Steady-state use with a repeated reply allocates nothing.
/// </summary>
public sealed class ScriptedModbusLink : IMeterLink
{
    private readonly ManualClock _clock;
    private readonly Queue<Chunk[]> _script = new();
    private readonly Queue<Chunk> _pending = new(64);
    private readonly byte[] _lastRequest = new byte[256];
    private int _chunkOffset;
    private int _headWaited;

    public ScriptedModbusLink(ManualClock clock, int baudRate = 9600, int bitsPerCharacter = 11)
    {
        _clock = clock;
        BaudRate = baudRate;
        BitsPerCharacter = bitsPerCharacter;
    }

    public int BaudRate { get; set; }

    public int BitsPerCharacter { get; set; }

    /// <summary>Computes a reply from a request frame (null: stay silent), used when the script is empty.</summary>
    public Func<byte[], byte[]?>? Server { get; set; }

    /// <summary>Sent after every request when neither the script nor <see cref="Server"/> supplies a reply.</summary>
    public byte[]? RepeatedReply { get; set; }

    /// <summary>Keep a copy of every request in <see cref="Requests"/> (turn off to measure allocations).</summary>
    public bool KeepRequests { get; set; } = true;

    /// <summary>When true every Write and Read throws a <see cref="LinkException"/>.</summary>
    public bool Down { get; set; }

    public List<byte[]> Requests { get; } = new();

    public int WriteCount { get; private set; }

    public int ReadCount { get; private set; }

    public int DiscardCount { get; private set; }

    /// <summary>Clock time of the last Write, to check inter-frame silence.</summary>
    public long LastWriteAt { get; private set; } = -1;

    public int LastRequestLength { get; private set; }

    public ReadOnlySpan<byte> LastRequest => _lastRequest.AsSpan(0, LastRequestLength);

    /// <summary>Queues the reply to the next request, delivered one chunk per Read. No chunks: silence.</summary>
    public void EnqueueReply(params byte[][] chunks)
    {
        _script.Enqueue(chunks.Select(c => new Chunk(c, 0)).ToArray());
    }

    /// <summary>Queues a reply whose first byte arrives <paramref name="delayMilliseconds"/> after the request.</summary>
    public void EnqueueDelayedReply(int delayMilliseconds, byte[] frame)
    {
        _script.Enqueue([new Chunk(frame, delayMilliseconds)]);
    }

    /// <summary>Bytes already waiting on the line (noise, a stale reply) before the next request.</summary>
    public void InjectInput(byte[] bytes) => _pending.Enqueue(new Chunk(bytes, 0));

    public void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfDown();
        WriteCount++;
        LastWriteAt = _clock.MonotonicMilliseconds;
        Array.Copy(buffer, offset, _lastRequest, 0, count);
        LastRequestLength = count;
        if (KeepRequests)
        {
            Requests.Add(buffer.AsSpan(offset, count).ToArray());
        }

        if (_script.Count > 0)
        {
            foreach (var chunk in _script.Dequeue())
            {
                _pending.Enqueue(chunk);
            }
        }
        else if (Server != null)
        {
            var reply = Server(buffer.AsSpan(offset, count).ToArray());
            if (reply != null)
            {
                _pending.Enqueue(new Chunk(reply, 0));
            }
        }
        else if (RepeatedReply != null)
        {
            _pending.Enqueue(new Chunk(RepeatedReply, 0));
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        ThrowIfDown();
        ReadCount++;
        if (_pending.Count == 0)
        {
            _clock.Advance(timeoutMilliseconds);
            return 0;
        }

        var chunk = _pending.Peek();
        var delay = chunk.DelayMilliseconds - _headWaited;
        if (delay > 0)
        {
            var waited = Math.Min(delay, timeoutMilliseconds);
            _clock.Advance(waited);
            _headWaited += waited;
            if (waited < delay)
            {
                return 0;
            }
        }

        var n = Math.Min(count, chunk.Bytes.Length - _chunkOffset);
        Array.Copy(chunk.Bytes, _chunkOffset, buffer, offset, n);
        _chunkOffset += n;
        if (_chunkOffset == chunk.Bytes.Length)
        {
            _pending.Dequeue();
            _chunkOffset = 0;
            _headWaited = 0;
        }

        return n;
    }

    public void DiscardInput()
    {
        DiscardCount++;
        _pending.Clear();
        _chunkOffset = 0;
        _headWaited = 0;
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new LinkException("scripted link is down");
        }
    }

    private readonly record struct Chunk(byte[] Bytes, int DelayMilliseconds);
}
