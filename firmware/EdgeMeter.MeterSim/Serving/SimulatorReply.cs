using EdgeMeter.Pc.Meters;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>A reply frame to send back on the line after <see cref="DelayMilliseconds"/>.</summary>
public sealed record SimulatorReply(MeterSpec Meter, byte[] Bytes, int DelayMilliseconds);
