using System.Text.RegularExpressions;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Tests.Receiver.WebConsole;

/// <summary>The energy page's SVG bars and totals, and the data-quality calendar.</summary>
public partial class ConsoleChartTests
{
    [Fact]
    public void Bars_are_proportional_a_missing_value_is_a_gap_and_the_largest_is_labelled()
    {
        var svg = ConsoleChart.Bars("c", "kWh", [("00:00", "10"), ("00:15", null), ("00:30", "5")]);

        var heights = Height().Matches(svg).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([160, 80], heights); // the plot is 200 - 18 - 22 pixels high
        Assert.Contains(">10 kWh</text>", svg, StringComparison.Ordinal);
        Assert.Contains("<title>00:30: 5 kWh</title>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_energy_page_totals_a_consumption_and_its_standard_coal_exactly()
    {
        var item = new DataItem { DataCode = "000000000112000001", Enterprise = "91530100MA6NXKB7X1", Name = "全厂用电", Unit = "kWh", ConvertRation = new FixedDecimal(1229, 4), Terms = [] };
        var view = new EnergyView(item, new DateOnly(2026, 12, 5), 0.1229m, [("00:00", "1.5"), ("00:15", "2.5")], [("5", "4.0")], [("12", "4.0")]);

        var page = ConsolePages.Energy("zh", new ConsoleSession("s", new ConsoleUser("viewer-1", ConsoleRole.Viewer, "hash"), "t", DateTimeOffset.MaxValue), [item], view);

        Assert.Contains("<p class=\"hint\" id=\"day-curve-total\">合计: 4.0 kWh; 折标准煤（&#215; 折标系数）: 0.49160</p>", page, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"day-curve\"", page, StringComparison.Ordinal);
        Assert.Contains("全厂用电 (000000000112000001)", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_quality_calendar_marks_days_under_the_target_and_lists_their_items_and_flags()
    {
        DataItem Item(string code, string name) => new() { DataCode = code, Enterprise = "91530100MA6NXKB7X1", Name = name, Unit = "kWh", ConvertRation = new FixedDecimal(1229, 4), Terms = [] };
        var view = new QualityView(new DateOnly(2026, 11, 1), 90,
        [
            new QualityRow(Item("000000000112000001", "electricity"), [100, 95.8], new Dictionary<string, int>()),
            new QualityRow(Item("000000000112000002", "steam"), [100, 62.5], new Dictionary<string, int> { ["estimated"] = 3, ["gap"] = 36 }),
        ]);

        var page = ConsolePages.Quality("en", new ConsoleSession("s", new ConsoleUser("viewer-1", ConsoleRole.Viewer, "hash"), "t", DateTimeOffset.MaxValue), view);

        Assert.Contains("<p id=\"below\">Items under the target on some day: steam</p>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"ok\">95.8</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"bad\">62.5</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>estimated 3, gap 36</td>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-11\"", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<rect [^>]*height=\"([0-9.]+)\"")]
    private static partial Regex Height();
}
