using EdgeMeter.Core.Values;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>Where a sample came from.</summary>
public enum SampleSource
{
    /// <summary>A poll of the meter.</summary>
    Polled,

    /// <summary>The meter's own daily frozen data, read back after an outage (DL/T 645 0506xxxx).</summary>
    Frozen,
}

/// <summary>
/// One reading of a series as the indicators use it: its time, exact value, source, and the stored reading it is
/// (so that every indicator traces back to signed readings). Readings the gateway took with an unsynchronized
/// clock or with a meter error are never samples.
/// </summary>
public readonly record struct Sample(DateTime TimeUtc, FixedDecimal Value, SampleSource Source, long ReadingId);

/// <summary>
/// A meter replaced (or its register reset on purpose) at <see cref="AtUtc"/>: the old meter's final and the new
/// meter's initial register, recorded by an operator. The item continues across it.
/// </summary>
public sealed record MeterReplacement(SeriesKey Series, DateTime AtUtc, FixedDecimal OldFinal, FixedDecimal NewInitial);
