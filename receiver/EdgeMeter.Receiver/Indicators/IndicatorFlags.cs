namespace EdgeMeter.Receiver.Indicators;

/// <summary>
/// Why an indicator value is what it is (docs/indicators.md, "Validation"), stored with the value and shown by the
/// admin API; the untrusted ones (<see cref="IndicatorFlagNames.Untrusted"/>) make the value valid = 0.
/// </summary>
[Flags]
public enum IndicatorFlags
{
    None = 0,

    /// <summary>A boundary register was interpolated between the neighbouring readings (the gateway did not poll on it).</summary>
    Estimated = 1,

    /// <summary>Interpolated across a gap longer than the limit: the value is a guess. Untrusted.</summary>
    Gap = 2,

    /// <summary>The register wrapped at its maximum (e.g. 999999.99 kWh) and was unrolled.</summary>
    Rollover = 4,

    /// <summary>The register went backwards with no recorded meter replacement: a reset. Untrusted.</summary>
    Reset = 8,

    /// <summary>A recorded meter replacement lies in the period; the item continues across it.</summary>
    Replaced = 16,

    /// <summary>More consumption than the configured maximum demand allows in the period. Untrusted.</summary>
    Spike = 32,

    /// <summary>The register did not move while the meter's power point showed power drawn. Untrusted.</summary>
    Stuck = 64,

    /// <summary>A boundary came from the meter's own daily frozen data (DL/T 645 0506xxxx), read after an outage.</summary>
    Frozen = 128,

    /// <summary>Readings taken while the gateway clock was unsynchronized fell in the period; they were not used.</summary>
    Unsynchronized = 256,

    /// <summary>The value replaces one already uploaded (late data); sent again under a new revision.</summary>
    Corrected = 512,
}

public static class IndicatorFlagNames
{
    /// <summary>Flags that make a value valid = 0.</summary>
    public const IndicatorFlags Untrusted = IndicatorFlags.Gap | IndicatorFlags.Reset | IndicatorFlags.Spike | IndicatorFlags.Stuck;

    private static readonly (IndicatorFlags Flag, string Name)[] Names =
    [
        (IndicatorFlags.Estimated, "estimated"), (IndicatorFlags.Gap, "gap"), (IndicatorFlags.Rollover, "rollover"),
        (IndicatorFlags.Reset, "reset"), (IndicatorFlags.Replaced, "replaced"), (IndicatorFlags.Spike, "spike"),
        (IndicatorFlags.Stuck, "stuck"), (IndicatorFlags.Frozen, "frozen"), (IndicatorFlags.Unsynchronized, "unsynced"),
        (IndicatorFlags.Corrected, "corrected"),
    ];

    public static IEnumerable<(IndicatorFlags Flag, string Name)> All => Names;

    public static string[] Of(IndicatorFlags flags) => Names.Where(n => (flags & n.Flag) != 0).Select(n => n.Name).ToArray();
}
