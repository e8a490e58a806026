using System.Text.RegularExpressions;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Tests.Receiver.WebConsole;

/// <summary>The energy page's SVG bars and totals.</summary>
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

        var page = ConsolePages.Energy("zh", new ConsoleSession("s", "viewer-1", ConsoleRole.Viewer, "t", DateTimeOffset.MaxValue), [item], view);

        Assert.Contains("<p class=\"hint\" id=\"day-curve-total\">合计: 4.0 kWh; 折标准煤（&#215; 折标系数）: 0.49160</p>", page, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"day-curve\"", page, StringComparison.Ordinal);
        Assert.Contains("全厂用电 (000000000112000001)", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<rect [^>]*height=\"([0-9.]+)\"")]
    private static partial Regex Height();
}
