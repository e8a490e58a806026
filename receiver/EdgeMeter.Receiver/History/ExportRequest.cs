using System.Globalization;
using EdgeMeter.Receiver.Indicators;

namespace EdgeMeter.Receiver.History;

/// <summary>What to export: Beijing days From to To (both included), optionally one gateway, meter or item.</summary>
public sealed record ExportRequest(string What, DateOnly From, DateOnly To, string? Gateway, string? Meter, string? Item)
{
    public const string Readings = "readings";
    public const string Indicators = "indicators";

    /// <summary>A Beijing day yyyy-MM-dd from 2000 to 2099 (anything else is a typo, and near the ends of the calendar time arithmetic fails).</summary>
    public static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= 2000 and <= 2099;

    public string? Problem() =>
        What is not (Readings or Indicators) ? $"'{What}' is not readings or indicators"
        : To < From ? "--to is before --from"
        : From.Year is < 2000 or > 2099 || To.Year is < 2000 or > 2099 ? "days from 2000-01-01 to 2099-12-31"
        : To.DayNumber - From.DayNumber > 400 ? "at most 400 days at a time"
        : new[] { Gateway, Meter, Item }.Any(v => v is not null && v.Any(char.IsControl)) ? "gateway, meter and item cannot hold control characters"
        : null;

    /// <summary>The first line of the file: what it is.</summary>
    public string Title() =>
        $"EdgeMeter {What}, Beijing days {From:yyyy-MM-dd} to {To:yyyy-MM-dd}"
        + string.Concat(new[] { ("gateway", Gateway), ("meter", Meter), ("item", Item) }.Where(f => f.Item2 is not null).Select(f => $", {f.Item1} {f.Item2}"));

    public DateTime FromUtc => IndicatorQueries.Beijing(From.ToDateTime(TimeOnly.MinValue));

    public DateTime ToUtc => IndicatorQueries.Beijing(To.AddDays(1).ToDateTime(TimeOnly.MinValue));
}
