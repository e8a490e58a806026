using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Polling;

namespace EdgeMeter.Firmware.Console;

/// <summary>
/// Feeds committed readings to the console's <c>live</c> view: one line per reading with the meter and point ids of
/// the configuration. Costs nothing while the view is off (called from the bus poller threads).
/// </summary>
public sealed class LiveReadings : IReadingObserver
{
    private readonly CommissioningConsole _console;
    private readonly GatewayConfig _config;

    public LiveReadings(CommissioningConsole console, GatewayConfig config)
    {
        _console = console;
        _config = config;
    }

    public void Committed(Reading[] readings, int count)
    {
        if (!_console.IsLive)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            var reading = readings[i];
            var meter = reading.Meter < _config.Meters.Length ? _config.Meters[reading.Meter] : null;
            var point = meter != null && reading.Point < meter.Points.Length ? meter.Points[reading.Point].Id : reading.Point.ToString();
            _console.Live(
                reading.Time.ToString("HH:mm:ss") + " " + (meter != null ? meter.Id : reading.Meter.ToString()) + " " + point + " = "
                + reading.Value.ToString() + (reading.Quality == ReadingQuality.Good ? "" : " (quality " + ((int)reading.Quality).ToString() + ")"));
        }
    }
}
