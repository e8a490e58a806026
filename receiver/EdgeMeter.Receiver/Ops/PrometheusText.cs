using System.Globalization;
using System.Text;

namespace EdgeMeter.Receiver.Ops;

/// <summary>Writes the Prometheus text exposition format (version 0.0.4): HELP and TYPE once per family, then samples.</summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public PrometheusText Counter(string name, string help, long value) => Family(name, help, "counter").Sample(name, value);

    public PrometheusText Gauge(string name, string help, double value) => Family(name, help, "gauge").Sample(name, value);

    /// <summary>A family with one sample per label value.</summary>
    public PrometheusText Labelled(string name, string help, string type, string label, IEnumerable<KeyValuePair<string, double>> samples)
    {
        Family(name, help, type);
        foreach (var (value, sample) in samples)
        {
            _text.Append(name).Append('{').Append(label).Append("=\"").Append(Escape(value)).Append("\"} ")
                .Append(Number(sample)).Append('\n');
        }

        return this;
    }

    public override string ToString() => _text.ToString();

    private PrometheusText Family(string name, string help, string type)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    private PrometheusText Sample(string name, double value)
    {
        _text.Append(name).Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
