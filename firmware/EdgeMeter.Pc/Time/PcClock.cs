using EdgeMeter.Common.Time;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Pc.Time;

/// <summary>The clock the PC programs run on: the system's, or the demo's simulated one when it is set.</summary>
public static class PcClock
{
    private static readonly Lazy<IClock> Chosen = new(() =>
        SimulatedTime.FromEnvironment() is { } simulated ? new SimulatedClock(simulated, SystemClock.Instance) : SystemClock.Instance);

    public static IClock Current => Chosen.Value;
}
