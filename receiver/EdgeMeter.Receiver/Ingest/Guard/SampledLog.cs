using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ingest.Guard;

/// <summary>
/// Warnings about what many clients can do many times (refused logins, connections closed at a limit), written in
/// summary: the first of a kind at once, then at most one line per kind and interval with the counts per source.
/// </summary>
public sealed class SampledLog(ILogger log, TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Tally> _kinds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Lines written so far (tests count them).</summary>
    public long Lines { get; private set; }

    public void Note(string what, string source)
    {
        string? line = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_kinds.TryGetValue(what, out var tally))
            {
                _kinds[what] = new Tally(now);
                line = $"broker: {what}: {source}; like ones are summed up every {interval.TotalSeconds:0} s";
            }
            else
            {
                tally.Sources[source] = tally.Sources.GetValueOrDefault(source) + 1;
                if (now - tally.Since >= interval)
                {
                    var top = tally.Sources.OrderByDescending(pair => pair.Value).Take(5).Select(pair => $"{pair.Key} x {pair.Value}");
                    line = $"broker: {what}: {tally.Sources.Values.Sum()} more in {(now - tally.Since).TotalSeconds:0} s ({string.Join(", ", top)}{(tally.Sources.Count > 5 ? ", ..." : "")})";
                    _kinds[what] = new Tally(now);
                }
            }

            if (line is not null)
            {
                Lines++;
            }
        }

        if (line is not null)
        {
            log.LogWarning("{Line}", line);
        }
    }

    private sealed class Tally(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public Dictionary<string, long> Sources { get; } = new(StringComparer.Ordinal);
    }
}
