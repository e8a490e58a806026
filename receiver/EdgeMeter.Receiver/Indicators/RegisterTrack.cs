using EdgeMeter.Core.Values;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>A series' value at an instant, and the readings it came from.</summary>
public readonly record struct InstantValue(FixedDecimal Value, IndicatorFlags Flags, long[] Readings);

/// <summary>
/// One series' samples, in time order, as a register that never jumps: a rollover at the register's maximum adds
/// the wrap, a recorded meter replacement adds old final - new initial, and an unexplained step back (a reset) is
/// absorbed so that the period holding it shows no consumption and is flagged. Reads values at any instant
/// (interpolated between neighbours when no sample sits on it) and the events in any period.
/// </summary>
public sealed class RegisterTrack
{
    private readonly Sample[] _samples;
    private readonly DateTime[] _times;
    private readonly FixedDecimal[] _values;
    private readonly IndicatorFlags[] _stepFlags;
    private readonly DateTime[] _unsynchronized;
    private readonly TimeSpan _maxGap;

    private RegisterTrack(Sample[] samples, FixedDecimal[] values, IndicatorFlags[] stepFlags, DateTime[] unsynchronized, TimeSpan maxGap)
    {
        _samples = samples;
        _times = samples.Select(s => s.TimeUtc).ToArray();
        _values = values;
        _stepFlags = stepFlags;
        _unsynchronized = unsynchronized;
        _maxGap = maxGap;
    }

    public int Count => _samples.Length;

    /// <summary>A continuous register (consumption terms).</summary>
    public static RegisterTrack Continuous(
        IReadOnlyList<Sample> samples, IReadOnlyList<MeterReplacement> replacements, ItemTerm term, TimeSpan maxGap, IReadOnlyList<DateTime>? unsynchronized = null)
    {
        var ordered = samples.OrderBy(s => s.TimeUtc).ToArray();
        var values = new FixedDecimal[ordered.Length];
        var flags = new IndicatorFlags[ordered.Length];
        var offset = new FixedDecimal(0, 0);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (i > 0)
            {
                (offset, flags[i]) = Step(ordered[i - 1], ordered[i], offset, replacements, term);
            }

            values[i] = ExactMath.Add(ordered[i].Value, offset);
        }

        return new RegisterTrack(ordered, values, flags, [.. unsynchronized ?? []], maxGap);
    }

    /// <summary>The values as read (registers reported as such, powers, temperatures).</summary>
    public static RegisterTrack AsRead(IReadOnlyList<Sample> samples, TimeSpan maxGap, IReadOnlyList<DateTime>? unsynchronized = null)
    {
        var ordered = samples.OrderBy(s => s.TimeUtc).ToArray();
        return new RegisterTrack(ordered, ordered.Select(s => s.Value).ToArray(), new IndicatorFlags[ordered.Length], [.. unsynchronized ?? []], maxGap);
    }

    /// <summary>The value at <paramref name="time"/>: a sample on it, or interpolated between the samples around it; null without both.</summary>
    public InstantValue? At(DateTime time)
    {
        var index = Array.BinarySearch(_times, time);
        if (index >= 0)
        {
            var sample = _samples[index];
            return new InstantValue(_values[index], sample.Source == SampleSource.Frozen ? IndicatorFlags.Frozen : IndicatorFlags.None, [sample.ReadingId]);
        }

        var next = ~index;
        if (next == 0 || next == _samples.Length)
        {
            return null;
        }

        var (before, after) = (_samples[next - 1], _samples[next]);
        var span = after.TimeUtc - before.TimeUtc;
        var value = ExactMath.Interpolate(_values[next - 1], _values[next], (time - before.TimeUtc).Ticks, span.Ticks);
        var flags = IndicatorFlags.Estimated | (span > _maxGap ? IndicatorFlags.Gap : IndicatorFlags.None);
        return new InstantValue(value, flags, [before.ReadingId, after.ReadingId]);
    }

    /// <summary>Rollovers, replacements and resets between samples that overlap [start, end), and unsynchronized readings in it.</summary>
    public IndicatorFlags EventsWithin(DateTime start, DateTime end)
    {
        var flags = IndicatorFlags.None;
        for (var i = 1; i < _samples.Length; i++)
        {
            if (_samples[i - 1].TimeUtc < end && _samples[i].TimeUtc > start)
            {
                flags |= _stepFlags[i];
            }
        }

        return _unsynchronized.Any(t => t >= start && t < end) ? flags | IndicatorFlags.Unsynchronized : flags;
    }

    /// <summary>The samples in [start, end), in time order.</summary>
    public IReadOnlyList<Sample> Within(DateTime start, DateTime end) =>
        _samples.Where(s => s.TimeUtc >= start && s.TimeUtc < end).ToArray();

    private static (FixedDecimal Offset, IndicatorFlags Flags) Step(
        Sample previous, Sample current, FixedDecimal offset, IReadOnlyList<MeterReplacement> replacements, ItemTerm term)
    {
        var replaced = replacements.Where(r => r.Series == term.Series && r.AtUtc > previous.TimeUtc && r.AtUtc <= current.TimeUtc).OrderBy(r => r.AtUtc).ToList();
        if (replaced.Count > 0)
        {
            foreach (var replacement in replaced)
            {
                offset = ExactMath.Add(offset, ExactMath.Subtract(replacement.OldFinal, replacement.NewInitial));
            }

            return (offset, IndicatorFlags.Replaced);
        }

        var step = ExactMath.Subtract(current.Value, previous.Value);
        if (step.Sign >= 0)
        {
            return (offset, IndicatorFlags.None);
        }

        if (RolloverModulus(term) is { } modulus && IsRollover(previous, current, modulus, term.MaxDemand))
        {
            return (ExactMath.Add(offset, modulus), IndicatorFlags.Rollover);
        }

        return (ExactMath.Subtract(offset, step), IndicatorFlags.Reset);
    }

    /// <summary>
    /// The register's count of values: its maximum plus one step of the maximum's last decimal (999999.99 wraps at
    /// 1000000.00, also when readings carry more decimals than the register shows).
    /// </summary>
    private static FixedDecimal? RolloverModulus(ItemTerm term) =>
        term.RegisterMax is { } max ? ExactMath.Add(max, new FixedDecimal(1, max.Scale)) : null;

    /// <summary>
    /// A step back is a wrap when what it would mean in consumption is plausible: within the maximum demand over the
    /// time between the readings where one is configured, else from the register's top tenth into its bottom tenth.
    /// </summary>
    private static bool IsRollover(Sample previous, Sample current, FixedDecimal modulus, FixedDecimal? maxDemand)
    {
        var wrapped = ExactMath.Add(ExactMath.Subtract(current.Value, previous.Value), modulus);
        if (maxDemand is { } demand)
        {
            return FixedDecimal.Compare(wrapped, AllowedFor(demand, current.TimeUtc - previous.TimeUtc)) <= 0;
        }

        var tenth = ExactMath.Multiply(modulus, new FixedDecimal(1, 1));
        return FixedDecimal.Compare(current.Value, tenth) < 0 && FixedDecimal.Compare(previous.Value, ExactMath.Subtract(modulus, tenth)) >= 0;
    }

    /// <summary>The most a point with <paramref name="maxDemand"/> per hour can use in <paramref name="span"/>.</summary>
    public static FixedDecimal AllowedFor(FixedDecimal maxDemand, TimeSpan span) =>
        ExactMath.Interpolate(new FixedDecimal(0, 0), maxDemand, (long)span.TotalSeconds, 3600);
}
