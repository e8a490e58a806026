using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>
/// A bar chart as inline SVG, drawn here (no script, no library, nothing from the Internet): one bar per period, a
/// missing value left as a gap, the largest value labelled. Values are exact decimals; only the drawing rounds.
/// </summary>
internal static class ConsoleChart
{
    public const int Width = 720;
    public const int Height = 200;
    private const int Top = 18;
    private const int Bottom = 22;

    public static string Bars(string id, string unit, IReadOnlyList<(string Label, string? Value)> points)
    {
        var values = points.Select(p => decimal.TryParse(p.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null).ToList();
        var max = values.Where(v => v is > 0).DefaultIfEmpty(0m).Max() ?? 0m;
        var plot = Height - Top - Bottom;
        var step = points.Count == 0 ? Width : (double)Width / points.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(unit)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height - Bottom}\" x2=\"{Width}\" y2=\"{Height - Bottom}\" stroke=\"#9aa3ad\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"12\" font-size=\"11\" fill=\"#5a6473\">{WebUtility.HtmlEncode(Format(max))} {WebUtility.HtmlEncode(unit)}</text>");
        for (var i = 0; i < points.Count; i++)
        {
            var x = i * step;
            if (values[i] is { } value && max > 0 && value > 0)
            {
                var h = (double)(value / max) * plot;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x + (step * 0.1):0.#}\" y=\"{Height - Bottom - h:0.#}\" width=\"{step * 0.8:0.#}\" height=\"{h:0.#}\" fill=\"#2e86c1\"><title>{WebUtility.HtmlEncode(points[i].Label)}: {WebUtility.HtmlEncode(points[i].Value ?? "")} {WebUtility.HtmlEncode(unit)}</title></rect>");
            }

            if (points.Count <= 31 || i % (points.Count / 12) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (step / 2):0.#}\" y=\"{Height - 6}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5a6473\">{WebUtility.HtmlEncode(points[i].Label)}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Format(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
