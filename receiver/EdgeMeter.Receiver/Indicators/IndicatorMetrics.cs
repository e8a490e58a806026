namespace EdgeMeter.Receiver.Indicators;

/// <summary>Counters of the indicator pipeline since start (the store holds the totals).</summary>
public sealed class IndicatorMetrics
{
    private readonly long[] _final = new long[4];
    private long _samples;
    private long _unmapped;
    private long _corrections;
    private long _computations;

    public void SampleFed() => Interlocked.Increment(ref _samples);

    public void UnmappedRead(int count) => Interlocked.Add(ref _unmapped, count);

    public void Final(Relay.Http.StatType type) => Interlocked.Increment(ref _final[(int)type]);

    public void Correction() => Interlocked.Increment(ref _corrections);

    public void Computed() => Interlocked.Increment(ref _computations);

    public long Samples => Interlocked.Read(ref _samples);

    public long UnmappedReadings => Interlocked.Read(ref _unmapped);

    public long Corrections => Interlocked.Read(ref _corrections);

    public long Computations => Interlocked.Read(ref _computations);

    public long FinalOf(Relay.Http.StatType type) => Interlocked.Read(ref _final[(int)type]);
}
