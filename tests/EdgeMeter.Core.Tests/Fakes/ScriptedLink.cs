using EdgeMeter.Core.Links;

namespace EdgeMeter.Core.Tests.Fakes;

/// <summary>
/// An in-memory bus with a scripted device behind it. Each Write takes the next queued reply (or asks the
/// <see cref="Responder"/>) and appends it to the receive buffer, like a UART would; Read hands bytes out in
/// chunks of at most <see cref="ChunkSize"/>, and when nothing is there it waits out the timeout on the fake clock.
/// Allocation-free after construction when <see cref="RecordWrites"/> is off and replies are prebuilt arrays.
/// </summary>
public sealed class ScriptedLink : IMeterLink
{
    private readonly ManualClock _clock;
    private readonly Queue<byte[]?> _replies = new();
    private readonly byte[] _input = new byte[8192];
    private int _inputStart;
    private int _inputEnd;

    public ScriptedLink(ManualClock clock, int baudRate = 2400)
    {
        _clock = clock;
        BaudRate = baudRate;
    }

    public int BaudRate { get; }

    public int BitsPerCharacter => 11;

    /// <summary>Answers a written request (buffer, offset, count) when no scripted reply is queued; null = silence.</summary>
    public Func<byte[], int, int, byte[]?>? Responder { get; set; }

    public int ChunkSize { get; set; } = int.MaxValue;

    /// <summary>When set, every call throws <see cref="LinkException"/>.</summary>
    public bool IsDown { get; set; }

    public bool RecordWrites { get; set; } = true;

    public List<byte[]> Writes { get; } = new();

    public int WriteCount { get; private set; }

    public int DiscardCount { get; private set; }

    /// <summary>Queues the reply to the next request; null means the device stays silent.</summary>
    public void EnqueueReply(byte[]? reply) => _replies.Enqueue(reply);

    /// <summary>Puts bytes in the receive buffer now (stale replies, noise).</summary>
    public void Inject(byte[] bytes) => Append(bytes);

    public void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfDown();
        WriteCount++;
        if (RecordWrites)
        {
            Writes.Add(buffer.AsSpan(offset, count).ToArray());
        }

        var reply = _replies.Count > 0 ? _replies.Dequeue() : Responder?.Invoke(buffer, offset, count);
        if (reply != null)
        {
            Append(reply);
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        ThrowIfDown();
        var available = _inputEnd - _inputStart;
        if (available == 0)
        {
            _clock.Advance(timeoutMilliseconds);
            return 0;
        }

        var n = Math.Min(Math.Min(available, count), ChunkSize);
        Array.Copy(_input, _inputStart, buffer, offset, n);
        _inputStart += n;
        return n;
    }

    public void DiscardInput()
    {
        ThrowIfDown();
        DiscardCount++;
        _inputStart = 0;
        _inputEnd = 0;
    }

    private void Append(byte[] bytes)
    {
        if (_inputStart == _inputEnd)
        {
            _inputStart = 0;
            _inputEnd = 0;
        }

        Array.Copy(bytes, 0, _input, _inputEnd, bytes.Length);
        _inputEnd += bytes.Length;
    }

    private void ThrowIfDown()
    {
        if (IsDown)
        {
            throw new LinkException("scripted link is down");
        }
    }
}
