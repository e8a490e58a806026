using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// Log lines about what a client can make happen many times a second (refused logins, connections closed at a limit,
/// quarantined packets), written in summary: the first of a kind at once with its detail, then at most one line per
/// kind and interval with the counts per source (the five largest).
/// </summary>
public sealed class SampledLog(ILogger log, TimeSpan interval, TimeProvider? time = null, LogLevel level = LogLevel.Warning)
{
    /// <summary>Kinds and sources per kind kept apart; sources are often what a client sent (ids), so both are capped.</summary>
    public const int MaxKinds = 100;
    public const int MaxSources = 1000;
    public const int MaxSourceLength = 100;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Tally> _kinds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Lines written so far (tests count them).</summary>
    public long Lines { get; private set; }

    public void Note(string what, string source, string? detail = null)
    {
        string? line = null;
        source = source.Length <= MaxSourceLength ? source : source[..MaxSourceLength] + "...";
        lock (_lock)
        {
            if (!_kinds.ContainsKey(what) && _kinds.Count >= MaxKinds)
            {
                what = "(other kinds)";
            }

            var now = _time.GetUtcNow();
            if (!_kinds.TryGetValue(what, out var tally))
            {
                _kinds[what] = new Tally(now);
                line = $"{what}: {source}{(detail is null ? "" : $": {detail}")}; like ones are summed up every {interval.TotalSeconds:0} s";
            }
            else
            {
                var key = tally.Sources.ContainsKey(source) || tally.Sources.Count < MaxSources ? source : "(other sources)";
                tally.Sources[key] = tally.Sources.GetValueOrDefault(key) + 1;
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
