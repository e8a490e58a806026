using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>How a data item's values come from its points.</summary>
public enum ItemKind
{
    /// <summary>From cumulative registers: a period's value is the register difference over it (energy).</summary>
    Consumption,

    /// <summary>The cumulative register itself at the start of the period.</summary>
    Register,

    /// <summary>The mean of the readings in the period (power, flow, temperature).</summary>
    Average,

    /// <summary>The reading at the start of the period (interpolated when the gateway did not poll on it).</summary>
    Instant,
}

/// <summary>A gateway point: (gateway, meter, point) as the packets name it.</summary>
public readonly record struct SeriesKey(string Gateway, string Meter, string Point)
{
    public override string ToString() => $"{Gateway}/{Meter}/{Point}";
}

/// <summary>
/// One term of an item's formula: factor x the point's value. The factor carries the sign and any share
/// ("-1" for an export meter, "0.5" for half of a shared feeder); CT/VT ratios live on the gateway point, not here.
/// </summary>
public sealed record ItemTerm(SeriesKey Series, FixedDecimal Factor)
{
    /// <summary>Consumption: the register's wrap point (999999.99 kWh wraps to 0 after it); null when it never wraps.</summary>
    public FixedDecimal? RegisterMax { get; init; }

    /// <summary>Consumption: the most this point can use per hour (the maximum demand, in the unit per hour).</summary>
    public FixedDecimal? MaxDemand { get; init; }

    /// <summary>Consumption: a power point of the same meter, to tell a stuck register from no consumption.</summary>
    public SeriesKey? PowerSeries { get; init; }
}

/// <summary>A data item as registered with the platforms: its 18-digit dataCode, formula, kind and record codes.</summary>
public sealed record DataItem
{
    public required string DataCode { get; init; }

    public required string Enterprise { get; init; }

    /// <summary>enterprise/dataCode: what names the item in the store, since enterprises may register the same dataCode.</summary>
    public string Key => $"{Enterprise}/{DataCode}";

    public string Name { get; init; } = "";

    public ItemKind Kind { get; init; } = ItemKind.Consumption;

    public required string Unit { get; init; }

    public required FixedDecimal ConvertRation { get; init; }

    public DataScope Scope { get; init; } = DataScope.WholePlant;

    public InputType InputType { get; init; } = InputType.FieldInstrument;

    /// <summary>15, 30 or 60.</summary>
    public int IntervalMinutes { get; init; } = 15;

    /// <summary>Whether yearly values (statType 3) are produced too.</summary>
    public bool Yearly { get; init; }

    public required IReadOnlyList<ItemTerm> Terms { get; init; }

    public IEnumerable<StatType> StatTypes => Yearly
        ? [StatType.RealTime, StatType.Day, StatType.Month, StatType.Year]
        : [StatType.RealTime, StatType.Day, StatType.Month];

    /// <summary>Every series the item reads: its terms' points and their power points.</summary>
    public IEnumerable<SeriesKey> Series =>
        Terms.Select(t => t.Series).Concat(Terms.Where(t => t.PowerSeries is not null).Select(t => t.PowerSeries!.Value)).Distinct();

    public int IntervalsPerDay => 24 * 60 / IntervalMinutes;
}
