using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeMeter.Host.Demo;

/// <summary>What one platform received and how its quality rules and our independent check judge it.</summary>
public sealed record PlatformIndicatorFigures(long Realtime, long Daily, long Monthly, double CompletenessMin, long ReconciliationFailures, long MissingDays)
{
    public JsonObject ToJson() => new()
    {
        ["indicators_realtime"] = Realtime,
        ["indicators_daily"] = Daily,
        ["indicators_monthly"] = Monthly,
        ["completeness_min"] = CompletenessMin,
        ["reconciliation_failures"] = ReconciliationFailures,
        ["missing_days"] = MissingDays,
    };
}

/// <summary>
/// What the demo measured, gathered from the outside the way an auditor would: the gateways' traces of every
/// reading they committed, what the receiver stored (its admin API), what each platform accepted and how its
/// quality rules judge it (the simulator's record and quality APIs), and every indicator value checked against
/// the gateways' own readings by a separate computation.
/// </summary>
public sealed record DemoFigures
{
    public long ReadingsTaken { get; init; }

    public long ReadingsStored { get; init; }

    /// <summary>Readings taken that the receiver does not have.</summary>
    public long Lost { get; init; }

    /// <summary>Readings the receiver stored that no gateway's trace shows: nothing to check them against.</summary>
    public long Untraced { get; init; }

    /// <summary>Readings of a meter's own daily freeze, read back by a gateway for midnights it missed.</summary>
    public long FrozenReadings { get; init; }

    /// <summary>Readings the receiver holds more than once (the same gateway and reading number in two rows).</summary>
    public long Duplicated { get; init; }

    /// <summary>Readings the receiver stored with another value or time than the gateway read.</summary>
    public long Altered { get; init; }

    /// <summary>Deliveries the platforms recognised by idempotency key and absorbed.</summary>
    public long DuplicatesAbsorbed { get; init; }

    /// <summary>Packets the receiver quarantined.</summary>
    public long Rejected { get; init; }

    public long PacketsVerified { get; init; }

    /// <summary>Per platform, or empty for a run in real time (no whole interval, day or month to judge).</summary>
    public Dictionary<string, PlatformIndicatorFigures> Platforms { get; init; } = [];

    public int SimulatedDays { get; init; }

    public Dictionary<string, long> Restarts { get; init; } = [];

    /// <summary>Gateways a platform's pushed message was for, and those that showed it (replied ok).</summary>
    public int PushExpected { get; init; }

    public int PushShown { get; init; }

    public long IndicatorsRealtime => Platforms.Values.Sum(p => p.Realtime);

    public long IndicatorsDaily => Platforms.Values.Sum(p => p.Daily);

    public long IndicatorsMonthly => Platforms.Values.Sum(p => p.Monthly);

    public double CompletenessMin => Platforms.Count == 0 ? 0 : Platforms.Values.Min(p => p.CompletenessMin);

    public long ReconciliationFailures => Platforms.Values.Sum(p => p.ReconciliationFailures);

    public long MissingDays => Platforms.Values.Sum(p => p.MissingDays);

    public bool Passed => Lost == 0 && Untraced == 0 && Duplicated == 0 && Altered == 0 && ReadingsTaken > 0 && ReconciliationFailures == 0 && PushShown == PushExpected
        && (SimulatedDays == 0 || (IndicatorsDaily > 0 && IndicatorsMonthly > 0 && MissingDays == 0));

    public string ToJson() => new JsonObject
    {
        ["readings_taken"] = ReadingsTaken,
        ["readings_stored"] = ReadingsStored,
        ["frozen_readings"] = FrozenReadings,
        ["lost"] = Lost,
        ["untraced"] = Untraced,
        ["duplicated"] = Duplicated,
        ["altered"] = Altered,
        ["duplicates_absorbed"] = DuplicatesAbsorbed,
        ["rejected"] = Rejected,
        ["packets_verified"] = PacketsVerified,
        ["simulated_days"] = SimulatedDays,
        ["indicators_realtime"] = IndicatorsRealtime,
        ["indicators_daily"] = IndicatorsDaily,
        ["indicators_monthly"] = IndicatorsMonthly,
        ["completeness_min"] = CompletenessMin,
        ["reconciliation_failures"] = ReconciliationFailures,
        ["missing_days"] = MissingDays,
        ["platforms"] = new JsonObject(Platforms.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.ToJson()))),
        ["platform_push_gateways"] = PushExpected,
        ["platform_push_shown"] = PushShown,
        ["restarts"] = new JsonObject(Restarts.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
        ["passed"] = Passed,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>One reading as the gateway's trace recorded it when it committed the reading to flash.</summary>
public sealed record TraceReading(string Gateway, long N, string Meter, string Point, DateTime Time, string Value);

/// <summary>Reads the figures of a running or finished demo.</summary>
public sealed class DemoProbe(DemoPlan plan, HttpClient http)
{
    /// <summary>The "frozen" reading flag as the receiver stores it (docs/packet-format.md).</summary>
    private const int FrozenFlag = (int)Core.Messages.ReadingFlags.Frozen;

    /// <summary>Readings each gateway committed, by "gw:n".</summary>
    public Dictionary<string, TraceReading> Taken()
    {
        var taken = new Dictionary<string, TraceReading>();
        foreach (var gateway in plan.Gateways)
        {
            var path = plan.TracePath(gateway);
            if (!File.Exists(path))
            {
                continue;
            }

            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split(' ');
                if (parts.Length == 5)
                {
                    var time = DateTime.ParseExact(parts[3], "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    var n = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    taken[$"{gateway.Id}:{n}"] = new TraceReading(gateway.Id, n, parts[1], parts[2], time, parts[4]);
                }
            }
        }

        return taken;
    }

    public async Task<JsonArray> RecordsAsync(int port, CancellationToken cancel) =>
        await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/_sim/records", cancel) ?? [];

    public async Task<JsonArray> QualityAsync(int port, CancellationToken cancel) =>
        await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/_sim/quality", cancel) ?? [];

    public async Task<JsonObject> StatsAsync(int port, CancellationToken cancel) =>
        await http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{port}/_sim/stats", cancel) ?? [];

    /// <summary>The receiver's counters (since its last start), or an empty map while it is down.</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(CancellationToken cancel)
    {
        var metrics = new Dictionary<string, double>();
        try
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{plan.Ports.Admin}/metrics", cancel);
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var space = line.LastIndexOf(' ');
                var name = line[..space];
                var brace = name.IndexOf('{', StringComparison.Ordinal);
                var key = brace < 0 ? name : name[..brace];
                if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    metrics[key] = metrics.GetValueOrDefault(key) + value;
                }
            }
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
        }

        return metrics;
    }

    /// <summary>Every reading taken against the receiver's store; every platform's records against the rules and the readings.</summary>
    public async Task<DemoFigures> FiguresAsync(Dictionary<string, long> restarts, CancellationToken cancel)
    {
        var taken = Taken();
        var (stored, duplicated, frozen) = await StoredAsync(cancel);
        var (lost, altered) = Compare(taken, stored);
        var absorbed = 0L;
        var platforms = new Dictionary<string, PlatformIndicatorFigures>();
        foreach (var (name, port, enterprises) in Routes())
        {
            absorbed += (long)(await StatsAsync(port, cancel))["duplicates"]!;
            if (plan.Calendar is { } calendar)
            {
                var judge = new DemoReconciliation(plan, calendar, taken.Values, enterprises);
                platforms[name] = judge.Judge(await RecordsAsync(port, cancel), await QualityAsync(port, cancel));
            }
        }

        var store = await StoreTotalsAsync(cancel);
        return new DemoFigures
        {
            ReadingsTaken = taken.Count,
            ReadingsStored = stored.Count,
            FrozenReadings = frozen,
            Lost = lost,
            Untraced = stored.Keys.Count(key => !taken.ContainsKey(key)),
            Duplicated = duplicated,
            Altered = altered,
            DuplicatesAbsorbed = absorbed,
            Rejected = store.Quarantined,
            PacketsVerified = store.Packets,
            Platforms = platforms,
            SimulatedDays = plan.Calendar?.Days ?? 0,
            Restarts = restarts,
        };
    }

    /// <summary>Readings taken that the receiver lacks (the drain waits for none).</summary>
    public async Task<long> LostAsync(CancellationToken cancel)
    {
        var (stored, _, _) = await StoredAsync(cancel);
        return Taken().Keys.Count(key => !stored.ContainsKey(key));
    }

    private IEnumerable<(string Name, int Port, string[] Enterprises)> Routes() =>
    [
        ("provincial", plan.Ports.Provincial, [DemoPlan.ProvincialEnterprise]),
        ("national", plan.Ports.National, [DemoPlan.ProvincialEnterprise, DemoPlan.NationalOnlyEnterprise]),
    ];

    private static (long Lost, long Altered) Compare(Dictionary<string, TraceReading> taken, Dictionary<string, TraceReading> stored)
    {
        long lost = 0, altered = 0;
        foreach (var (key, reading) in taken)
        {
            if (!stored.TryGetValue(key, out var copy))
            {
                lost++;
            }
            else if (copy != reading)
            {
                altered++;
            }
        }

        return (lost, altered);
    }

    /// <summary>The receiver's stored readings (GET /admin/readings, paged by reading number); empty while it cannot answer.</summary>
    private async Task<(Dictionary<string, TraceReading> Stored, long Duplicated, long Frozen)> StoredAsync(CancellationToken cancel)
    {
        var stored = new Dictionary<string, TraceReading>();
        var duplicated = 0L;
        var frozen = 0L;
        try
        {
            foreach (var gateway in plan.Gateways)
            {
                for (var after = 0L; ;)
                {
                    var page = await AdminAsync<JsonArray>($"/admin/readings?gateway={gateway.Id}&after={after}&limit=10000", cancel);
                    foreach (var row in page.OfType<JsonObject>())
                    {
                        var n = (long)row["n"]!;
                        var time = DateTime.ParseExact((string)row["t"]!, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                        duplicated += stored.ContainsKey($"{gateway.Id}:{n}") ? 1 : 0;
                        frozen += ((int)row["flags"]! & FrozenFlag) != 0 ? 1 : 0;
                        stored[$"{gateway.Id}:{n}"] = new TraceReading(gateway.Id, n, (string)row["meter"]!, (string)row["point"]!, time, (string)row["value"]!);
                        after = n;
                    }

                    if (page.Count < 10000)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return ([], 0, 0);
        }

        return (stored, duplicated, frozen);
    }

    /// <summary>The receiver's store totals (GET /admin/store); -1 while it cannot answer (e.g. killed by the chaos run).</summary>
    private async Task<(long Packets, long Quarantined)> StoreTotalsAsync(CancellationToken cancel)
    {
        try
        {
            var totals = await AdminAsync<JsonObject>("/admin/store", cancel);
            return ((long)totals["packets"]!, (long)totals["quarantined"]!);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return (-1, -1);
        }
    }

    private async Task<T> AdminAsync<T>(string path, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{plan.Ports.Admin}{path}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", plan.AdminToken);
        using var response = await http.SendAsync(request, cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(cancel))!;
    }
}
