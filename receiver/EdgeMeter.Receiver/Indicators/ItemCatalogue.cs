using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>The configured data items, and which of them read a given gateway point.</summary>
public sealed class ItemCatalogue
{
    private readonly Dictionary<string, DataItem> _byKey;
    private readonly Dictionary<SeriesKey, List<DataItem>> _bySeries = [];

    public ItemCatalogue(IEnumerable<DataItem> items)
    {
        Items = [.. items];
        _byKey = Items.ToDictionary(i => i.Key, StringComparer.Ordinal);
        foreach (var item in Items)
        {
            foreach (var series in item.Series)
            {
                if (!_bySeries.TryGetValue(series, out var readers))
                {
                    _bySeries[series] = readers = [];
                }

                readers.Add(item);
            }
        }
    }

    public IReadOnlyList<DataItem> Items { get; }

    /// <summary>Every series some item reads.</summary>
    public IEnumerable<SeriesKey> Series => _bySeries.Keys;

    /// <summary>The item with <see cref="DataItem.Key"/> <paramref name="key"/>.</summary>
    public DataItem? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>The item of <paramref name="dataCode"/>; the enterprise may be left out where only one has that code.</summary>
    public DataItem? Find(string? enterprise, string dataCode)
    {
        var matches = Items.Where(i => i.DataCode == dataCode && (enterprise is null || i.Enterprise == enterprise)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The items reading <paramref name="series"/>; empty for a point no item uses.</summary>
    public IReadOnlyList<DataItem> ItemsReading(SeriesKey series) => _bySeries.TryGetValue(series, out var items) ? items : [];

    /// <summary>The items of validated options (OptionsValidator checked every value parsed here).</summary>
    public static ItemCatalogue From(ReceiverOptions options) => new(options.Items.Select(ToItem));

    private static DataItem ToItem(ItemOptions options) => new()
    {
        DataCode = options.DataCode,
        Enterprise = options.Enterprise,
        Name = options.Name ?? "",
        Kind = options.Kind,
        Unit = options.Unit,
        ConvertRation = Exact(options.ConvertRation)!.Value,
        Scope = options.Scope,
        InputType = options.InputType,
        IntervalMinutes = options.IntervalMinutes,
        Yearly = options.Yearly,
        Terms = options.Terms.Select(t => new ItemTerm(new SeriesKey(t.Gateway, t.Meter, t.Point), Exact(t.Factor)!.Value)
        {
            RegisterMax = Exact(t.RegisterMax),
            MaxDemand = Exact(t.MaxDemand),
            PowerSeries = t.PowerPoint is { Length: > 0 } power ? new SeriesKey(t.Gateway, t.Meter, power) : null,
        }).ToList(),
    };

    private static FixedDecimal? Exact(string? text) => text is not null && FixedDecimal.TryParse(text, out var value) ? value : null;
}
