using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Indicators;

namespace EdgeMeter.Receiver.Tests.Indicators;

/// <summary>Items and tracks written the way a test reads them: Beijing times and decimal strings.</summary>
internal static class ItemFixtures
{
    public static readonly SeriesKey Feeder = new("gw-1", "m1", "energy");
    public static readonly SeriesKey Export = new("gw-1", "m2", "energy");
    public static readonly SeriesKey Power = new("gw-1", "m1", "power");

    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>A Beijing wall-clock time as the UTC instant the store holds.</summary>
    public static DateTime Beijing(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        DateTime.SpecifyKind(new DateTime(year, month, day, hour, minute, second) - BeijingCalendar.Offset, DateTimeKind.Utc);

    public static FixedDecimal D(string text) => FixedDecimal.TryParse(text, out var value) ? value : throw new FormatException(text);

    public static DataItem Consumption(params ItemTerm[] terms) => new()
    {
        DataCode = "000000000112000001",
        Enterprise = "91530100MA6NXKB7X1",
        Unit = "kWh",
        ConvertRation = D("0.1229"),
        Terms = terms.Length > 0 ? terms : [new ItemTerm(Feeder, D("1"))],
    };

    public static ItemTracks Tracks(DataItem item, IReadOnlyDictionary<SeriesKey, IReadOnlyList<Sample>> samples, IReadOnlyList<MeterReplacement>? replacements = null, TimeSpan? maxGap = null)
    {
        var gap = maxGap ?? Hour;
        var terms = item.Terms.ToDictionary(
            t => t.Series,
            t => item.Kind == ItemKind.Consumption
                ? RegisterTrack.Continuous(samples.GetValueOrDefault(t.Series) ?? [], replacements ?? [], t, gap)
                : RegisterTrack.AsRead(samples.GetValueOrDefault(t.Series) ?? [], gap));
        var power = item.Terms.Where(t => t.PowerSeries is not null)
            .ToDictionary(t => t.PowerSeries!.Value, t => RegisterTrack.AsRead(samples.GetValueOrDefault(t.PowerSeries!.Value) ?? [], gap));
        return new ItemTracks(terms, power);
    }

    public static IReadOnlyList<Sample> Series(params (DateTime Time, string Value)[] points) =>
        points.Select((p, i) => new Sample(p.Time, D(p.Value), SampleSource.Polled, i + 1)).ToList();

    /// <summary>Readings every <paramref name="step"/> from <paramref name="start"/>, rising by <paramref name="increment"/>.</summary>
    public static IReadOnlyList<Sample> Steady(DateTime start, TimeSpan step, int count, string first, string increment)
    {
        var samples = new List<Sample>();
        var value = D(first);
        for (var i = 0; i < count; i++)
        {
            samples.Add(new Sample(start + (step * i), value, SampleSource.Polled, i + 1));
            value = ExactMath.Add(value, D(increment));
        }

        return samples;
    }
}
