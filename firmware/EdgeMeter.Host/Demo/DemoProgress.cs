using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EdgeMeter.Host.Demo;

/// <summary>The live view: readings taken, verified, stored, indicator records per platform, rejected, with rates.</summary>
internal sealed class DemoProgress(DemoProbe probe, DemoPlan plan)
{
    private readonly Dictionary<string, (double Value, TimeSpan At)> _previous = [];
    private readonly Dictionary<string, double> _current = [];
    private readonly Dictionary<string, double> _rates = [];

    public IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]EdgeMeter demo[/]: meters -> gateways -> MQTT -> receiver -> platforms");
        table.AddColumn("stage");
        table.AddColumn(new TableColumn("count").RightAligned());
        table.AddColumn(new TableColumn("per second").RightAligned());
        foreach (var (label, key) in Rows)
        {
            table.AddRow(label, Format(_current.GetValueOrDefault(key)), _rates.TryGetValue(key, out var rate) ? rate.ToString("0.0", CultureInfo.InvariantCulture) : "");
        }

        return table;
    }

    public async Task<IRenderable> UpdateAsync(TimeSpan elapsed, CancellationToken cancel)
    {
        var metrics = await probe.MetricsAsync(cancel);
        Set("taken", probe.Taken().Count, elapsed);
        Set("verified", metrics.GetValueOrDefault("edgemeter_packets_verified_total"), elapsed);
        Set("stored", metrics.GetValueOrDefault("edgemeter_readings_stored_total"), elapsed);
        Set("rejected", metrics.GetValueOrDefault("edgemeter_packets_rejected_total"), elapsed);
        Set("lag", metrics.GetValueOrDefault("edgemeter_relay_lag_rows"), elapsed);
        foreach (var (name, port) in new[] { ("provincial", plan.Ports.Provincial), ("national", plan.Ports.National) })
        {
            try
            {
                var stats = await probe.StatsAsync(port, cancel);
                Set(name, (double)stats["accepted"]!, elapsed);
            }
            catch (HttpRequestException)
            {
            }
        }

        return Render();
    }

    public string Line(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{elapsed.TotalSeconds,5:0}s{SimulatedNow()}  taken {_current.GetValueOrDefault("taken"),7:0}  packets verified {_current.GetValueOrDefault("verified"),6:0}  readings stored {_current.GetValueOrDefault("stored"),7:0}  indicators: provincial {_current.GetValueOrDefault("provincial"),6:0}  national {_current.GetValueOrDefault("national"),6:0}  rejected {_current.GetValueOrDefault("rejected"),3:0}  relay lag {_current.GetValueOrDefault("lag"),5:0}");

    private static readonly (string Label, string Key)[] Rows =
    [
        ("readings taken by the gateways (committed to flash)", "taken"),
        ("packets verified by the receiver (since its last start)", "verified"),
        ("readings stored by the receiver (since its last start)", "stored"),
        ("indicator records at the provincial platform", "provincial"),
        ("indicator records at the national platform", "national"),
        ("packets rejected (quarantined)", "rejected"),
        ("rows waiting to be relayed", "lag"),
    ];

    private string SimulatedNow() =>
        plan.Calendar is { } calendar ? string.Create(CultureInfo.InvariantCulture, $" (Beijing {calendar.Clock.UtcNow.AddHours(8):MM-dd HH:mm})") : "";

    private void Set(string key, double value, TimeSpan elapsed)
    {
        if (_previous.TryGetValue(key, out var previous) && elapsed > previous.At && value >= previous.Value)
        {
            _rates[key] = (value - previous.Value) / (elapsed - previous.At).TotalSeconds;
        }

        _previous[key] = (value, elapsed);
        _current[key] = value;
    }

    private static string Format(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
