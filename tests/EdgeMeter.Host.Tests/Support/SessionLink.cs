using EdgeMeter.Core.Links;
using EdgeMeter.MeterSim.Serving;

namespace EdgeMeter.Host.Tests.Support;

/// <summary>
/// A link straight into a <see cref="SimulatorSession"/>, no sockets: what a master writes is received by the
/// session, and the replies (delays ignored) wait to be read. Lets the real masters talk to the simulator fast.
/// </summary>
internal sealed class SessionLink(SimulatorSession session) : IMeterLink
{
    private readonly Queue<byte> _pending = new();

    public int BaudRate => 115_200;

    public int BitsPerCharacter => 10;

    /// <summary>Every reply the session produced, in order, with its intended delay.</summary>
    public List<SimulatorReply> Replies { get; } = [];

    public void Write(byte[] buffer, int offset, int count)
    {
        foreach (var reply in session.Receive(buffer.AsSpan(offset, count)))
        {
            Replies.Add(reply);
            foreach (var value in reply.Bytes)
            {
                _pending.Enqueue(value);
            }
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (_pending.Count == 0)
        {
            Thread.Sleep(Math.Min(timeoutMilliseconds, 5));
            return 0;
        }

        var read = 0;
        while (read < count && _pending.Count > 0)
        {
            buffer[offset + read++] = _pending.Dequeue();
        }

        return read;
    }

    public void DiscardInput() => _pending.Clear();
}
