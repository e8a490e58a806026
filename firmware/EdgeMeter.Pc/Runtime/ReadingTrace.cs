using System.Globalization;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Polling;

namespace EdgeMeter.Pc.Runtime;

/// <summary>
/// `--trace FILE`: one line per reading once it is committed to the buffer, "n meter point time value", so a bench
/// test can compare what the gateway read with what the platforms received.
/// </summary>
public sealed class ReadingTrace(string path, GatewayConfig config) : IReadingObserver, IDisposable
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));

    public void Committed(Reading[] readings, int count)
    {
        lock (_writer)
        {
            for (var i = 0; i < count; i++)
            {
                var reading = readings[i];
                var meter = config.Meters[reading.Meter];
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reading.Sequence} {meter.Id} {meter.Points[reading.Point].Id} {reading.Time:yyyy-MM-ddTHH:mm:ssZ} {reading.Value}"));
            }

            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();
}
