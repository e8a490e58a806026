using EdgeMeter.Core.Links;
using EdgeMeter.MeterSim.Serving;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// A bus straight into a <see cref="SimulatorSession"/>, without sockets or delays: what the gateway writes is
/// received by the simulated meters and their replies wait to be read. Optionally records every exchange so a
/// <see cref="ReplayLink"/> can play it back without the simulator's own cost.
/// </summary>
public sealed class SimulatorLink(SimulatorSession session, int baudRate = 9600) : IMeterLink
{
    private readonly Queue<byte> _pending = new();
    private readonly List<byte> _reply = [];

    public int BaudRate { get; } = baudRate;

    public int BitsPerCharacter => 11;

    /// <summary>Every request and the bytes answered to it, in order, when <see cref="Recording"/> is on.</summary>
    public List<(byte[] Request, byte[] Reply)> Exchanges { get; } = [];

    public bool Recording { get; set; }

    public void Write(byte[] buffer, int offset, int count)
    {
        _reply.Clear();
        foreach (var reply in session.Receive(buffer.AsSpan(offset, count)))
        {
            _reply.AddRange(reply.Bytes);
        }

        foreach (var value in _reply)
        {
            _pending.Enqueue(value);
        }

        if (Recording)
        {
            Exchanges.Add((buffer.AsSpan(offset, count).ToArray(), [.. _reply]));
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var read = 0;
        while (read < count && _pending.Count > 0)
        {
            buffer[offset + read++] = _pending.Dequeue();
        }

        return read;
    }

    public void DiscardInput() => _pending.Clear();
}
