using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>Receives each point of a meter poll: its value when <paramref name="status"/> is Ok.</summary>
public interface IPointSink
{
    void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value);
}
