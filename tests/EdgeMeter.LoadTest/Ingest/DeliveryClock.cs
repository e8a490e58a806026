using System.Diagnostics;
using EdgeMeter.LoadTest.Support;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// When each packet of a run was published and when it arrived where the run measures it (a subscriber received it,
/// or a receiver committed it). Thread-safe. A packet that arrives twice (QoS 1 redelivery) counts once.
/// </summary>
public sealed class DeliveryClock
{
    private readonly SignedPackets _packets;
    private readonly long[][] _published;
    private readonly long[][] _arrived;
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivedCount;
    private long _firstPublished = long.MaxValue;
    private long _lastArrived;

    public DeliveryClock(SignedPackets packets)
    {
        _packets = packets;
        _published = [.. packets.Packets.Select(p => new long[p.Length])];
        _arrived = [.. packets.Packets.Select(p => new long[p.Length])];
    }

    public int Arrived => Volatile.Read(ref _arrivedCount);

    public int Expected => _packets.Count;

    public Task Complete => _complete.Task;

    public void Published(int gateway, int index)
    {
        var now = Stopwatch.GetTimestamp();
        _published[gateway][index] = now;
        InterlockedMin(ref _firstPublished, now);
    }

    /// <summary>A packet of <paramref name="gateway"/> with <paramref name="sequence"/> arrived now.</summary>
    public void Arrival(int gateway, long sequence) => ArrivalAt(gateway, sequence, Stopwatch.GetTimestamp());

    public void ArrivalAt(int gateway, long sequence, long timestamp)
    {
        var index = sequence - _packets.FirstSequence;
        if (gateway < 0 || gateway >= _arrived.Length || index < 0 || index >= _arrived[gateway].Length
            || Interlocked.CompareExchange(ref _arrived[gateway][index], timestamp, 0) != 0)
        {
            return;
        }

        InterlockedMax(ref _lastArrived, timestamp);
        if (Interlocked.Increment(ref _arrivedCount) == _packets.Count)
        {
            _complete.TrySetResult();
        }
    }

    /// <summary>Packets per second from the first publish to the last arrival.</summary>
    public double PacketsPerSecond => Arrived / Stopwatch.GetElapsedTime(_firstPublished, _lastArrived).TotalSeconds;

    public double LatencyPercentileMilliseconds(double percent)
    {
        var latencies = new List<double>(_packets.Count);
        for (var g = 0; g < _arrived.Length; g++)
        {
            for (var i = 0; i < _arrived[g].Length; i++)
            {
                if (_arrived[g][i] != 0 && _published[g][i] != 0)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(_published[g][i], _arrived[g][i]).TotalMilliseconds);
                }
            }
        }

        return Stats.Percentile(latencies, percent);
    }

    private static void InterlockedMin(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
