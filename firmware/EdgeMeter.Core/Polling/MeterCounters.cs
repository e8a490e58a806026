namespace EdgeMeter.Core.Polling;

/// <summary>Per-meter (and, summed, per-bus) request statistics that the status packet reports.</summary>
public sealed class MeterCounters
{
    public long Requests { get; private set; }

    public long Timeouts { get; private set; }

    public long Errors { get; private set; }

    public long TotalLatencyMilliseconds { get; private set; }

    public long MaxLatencyMilliseconds { get; private set; }

    public long AverageLatencyMilliseconds => Requests == 0 ? 0 : TotalLatencyMilliseconds / Requests;

    public void Record(Protocol.ReadStatus status, long latencyMilliseconds)
    {
        Requests++;
        TotalLatencyMilliseconds += latencyMilliseconds;
        if (latencyMilliseconds > MaxLatencyMilliseconds)
        {
            MaxLatencyMilliseconds = latencyMilliseconds;
        }

        if (status == Protocol.ReadStatus.Timeout)
        {
            Timeouts++;
        }
        else if (status != Protocol.ReadStatus.Ok)
        {
            Errors++;
        }
    }

    public void Add(MeterCounters other)
    {
        Requests += other.Requests;
        Timeouts += other.Timeouts;
        Errors += other.Errors;
        TotalLatencyMilliseconds += other.TotalLatencyMilliseconds;
        if (other.MaxLatencyMilliseconds > MaxLatencyMilliseconds)
        {
            MaxLatencyMilliseconds = other.MaxLatencyMilliseconds;
        }
    }
}
