using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Firmware.Console;

/// <summary>
/// Feeds committed readings to the console's <c>live</c> view: one line per reading with the meter and point ids of
/// the runtime's <see cref="Points"/> (set once the runtime exists; the configuration itself is not kept). Costs
/// nothing while the view is off (called from the bus poller threads).
/// </summary>
public sealed class LiveReadings : IReadingObserver
{
    private readonly CommissioningConsole _console;

    public LiveReadings(CommissioningConsole console)
    {
        _console = console;
    }

    public PointDirectory? Points { get; set; }

    public void Committed(Reading[] readings, int count)
    {
        var points = Points;
        if (!_console.IsLive || points == null)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            var reading = readings[i];
            var known = points.Knows(reading.Meter, reading.Point);
            _console.Live(
                reading.Time.ToString("HH:mm:ss") + " " + (known ? points.MeterId(reading.Meter) : reading.Meter.ToString()) + " "
                + (known ? points.PointId(reading.Meter, reading.Point) : reading.Point.ToString()) + " = "
                + reading.Value.ToString() + (reading.Quality == ReadingQuality.Good ? "" : " (quality " + ((int)reading.Quality).ToString() + ")"));
        }
    }
}
