using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>Receives each point of a meter poll: its value when <paramref name="status"/> is Ok.</summary>
public interface IPointSink
{
    /// <summary>A poll of <paramref name="meter"/> begins; its readings belong to the schedule slot it started in.</summary>
    void PollStarted(MeterSession meter);

    void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value);

    /// <summary>A value read while the meter reports a fault of its own (CJ/T 188: low battery, abnormal valve): stored
    /// with the meter-error quality, so that the platform side knows to doubt it.</summary>
    void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value);

    /// <summary>
    /// A value the meter froze itself at <paramref name="atUtc"/> (DL/T 645 daily frozen energy), read back after an
    /// outage: stored with that time and the frozen quality, not the poll's slot.
    /// </summary>
    void AcceptFrozen(MeterSession meter, int pointIndex, System.DateTime atUtc, FixedDecimal value);

    /// <summary>Every point of the poll has been handed over.</summary>
    void PollCompleted(MeterSession meter);

    /// <summary>
    /// Every meter that was due has been polled (the moment to make the cycle's readings durable: one flash commit
    /// per cycle rather than per meter). Called only after at least one poll.
    /// </summary>
    void CycleCompleted();
}
