using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// Log lines about what a client can make happen many times a second (refused logins, connections closed at a limit,
/// quarantined packets), written in summary: the first of a kind at once with its detail, then at most one line per
/// kind and interval with the counts per source (the five largest).
/// </summary>
public sealed class SampledLog(ILogger log, TimeSpan interval, TimeProvider? time = null, LogLevel level = LogLevel.Warning)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Tally> _kinds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Lines written so far (tests count them).</summary>
    public long Lines { get; private set; }

    public void Note(string what, string source, string? detail = null)
    {
        string? line = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_kinds.TryGetValue(what, out var tally))
            {
                _kinds[what] = new Tally(now);
                line = $"{what}: {source}{(detail is null ? "" : $": {detail}")}; like ones are summed up every {interval.TotalSeconds:0} s";
            }
            else
            {
                tally.Sources[source] = tally.Sources.GetValueOrDefault(source) + 1;
                if (now - tally.Since >= interval)
                {
                    var top = tally.Sources.OrderByDescending(pair => pair.Value).Take(5).Select(pair => $"{pair.Key} x {pair.Value}");
                    line = $"{what}: {tally.Sources.Values.Sum()} more in {(now - tally.Since).TotalSeconds:0} s ({string.Join(", ", top)}{(tally.Sources.Count > 5 ? ", ..." : "")})";
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
            log.Log(level, "{Line}", line);
        }
    }

    private sealed class Tally(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public Dictionary<string, long> Sources { get; } = new(StringComparer.Ordinal);
    }
}
