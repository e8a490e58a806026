using System.Globalization;
using System.Text;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Polling;

namespace EdgeMeter.Pc.Runtime;

/// <summary>
/// `--trace FILE`: one line per reading once it is committed to the buffer, "n meter point time value", so a bench
/// test can compare what the gateway read with what the platforms received. A kill -9 can land between a commit and
/// its trace lines, so a restarted gateway first <see cref="CatchUp"/>s from its buffer, acknowledged readings included:
/// the uplink may have published them and had them acknowledged in that gap.
/// </summary>
public sealed class ReadingTrace : IReadingObserver, IDisposable
{
    private readonly GatewayConfig _config;
    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private long _lastSequence;

    public ReadingTrace(string path, GatewayConfig config)
    {
        _config = config;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _lastSequence = DropTornLine(_file);
        _file.Seek(0, SeekOrigin.End);
        _writer = new StreamWriter(_file);
    }

    /// <summary>Writes the committed readings the trace missed (a kill between commit and trace), before the gateway starts.</summary>
    public void CatchUp(ReadingBuffer buffer)
    {
        var batch = new Reading[ReadingRecorder.MaxReadingsPerCommit];
        while (_lastSequence < buffer.CommittedSequence && buffer.ReadKept(_lastSequence + 1, batch) is var count and > 0)
        {
            Committed(batch, count);
        }
    }

    public void Committed(Reading[] readings, int count)
    {
        lock (_writer)
        {
            for (var i = 0; i < count; i++)
            {
                var reading = readings[i];
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reading.Sequence} {Names(reading)} {reading.Time:yyyy-MM-ddTHH:mm:ssZ} {reading.Value}"));
                _lastSequence = Math.Max(_lastSequence, reading.Sequence);
            }

            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>"meter point" by the configuration's ids; by index for a reading an earlier configuration took.</summary>
    private string Names(Reading reading) =>
        reading.Meter < _config.Meters.Length && _config.Meters[reading.Meter] is var meter && reading.Point < meter.Points.Length
            ? $"{meter.Id} {meter.Points[reading.Point].Id}"
            : string.Create(CultureInfo.InvariantCulture, $"{reading.Meter} {reading.Point}");

    /// <summary>Cuts a last line a kill left unfinished and returns the reading number of the last whole line (0 if none).</summary>
    private static long DropTornLine(FileStream file)
    {
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        file.SetLength(end);
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 0 && long.TryParse(lines[^1].Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
