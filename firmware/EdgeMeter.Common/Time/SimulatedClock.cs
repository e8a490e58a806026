using EdgeMeter.Core.Time;

namespace EdgeMeter.Common.Time;

/// <summary>
/// The gateway core's clock on a <see cref="SimulatedTime"/>: wall time runs fast, so schedules aligned to it
/// (polls, boundaries) run fast; monotonic time stays real, so protocol timeouts keep their meaning.
/// </summary>
public sealed class SimulatedClock(SimulatedTime time, IClock real) : IClock
{
    public DateTime UtcNow => time.UtcNow;

    public long MonotonicMilliseconds => real.MonotonicMilliseconds;

    /// <summary>Sleeps the simulated span's real duration (at least 1 ms, so loops never spin).</summary>
    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            real.Sleep(Math.Max(1, milliseconds / time.Speed));
        }
    }
}
