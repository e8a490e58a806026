using EdgeMeter.Core.Links;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// Plays back recorded exchanges in order, checking that each request is the one recorded: the meters' side costs
/// nothing and allocates nothing, so what a benchmark measures is the gateway alone. Wraps around at the end.
/// </summary>
public sealed class ReplayLink(IReadOnlyList<(byte[] Request, byte[] Reply)> exchanges, int baudRate = 9600) : IMeterLink
{
    private byte[] _reply = [];
    private int _next;
    private int _position;

    public int BaudRate { get; } = baudRate;

    public int BitsPerCharacter => 11;

    public void Write(byte[] buffer, int offset, int count)
    {
        var (request, reply) = exchanges[_next];
        if (!buffer.AsSpan(offset, count).SequenceEqual(request))
        {
            throw new InvalidOperationException($"request {_next} differs from the recording: the poll order changed");
        }

        _next = (_next + 1) % exchanges.Count;
        _reply = reply;
        _position = 0;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var n = Math.Min(count, _reply.Length - _position);
        Array.Copy(_reply, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public void DiscardInput() => _position = _reply.Length;
}
