using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// What the demo measured, gathered from the outside the way an auditor would: the gateways' traces of every
/// reading they committed, what each platform stored (the simulator's record API), the receiver's metrics and its
/// store totals (its admin API).
/// </summary>
public sealed class DemoFigures
{
    public long ReadingsTaken { get; init; }

    public long ReadingsProvincial { get; init; }

    public long ReadingsNational { get; init; }

    public long ExpectedProvincial { get; init; }

    public long ExpectedNational { get; init; }

    /// <summary>Readings taken that did not reach a platform they were routed to (counted per platform).</summary>
    public long Lost { get; init; }

    /// <summary>Readings a platform stored more than once.</summary>
    public long Duplicated { get; init; }

    /// <summary>Readings a platform stored with another value or time than the gateway read.</summary>
    public long Altered { get; init; }

    /// <summary>Deliveries the platforms recognised by idempotency key and absorbed.</summary>
    public long DuplicatesAbsorbed { get; init; }

    /// <summary>Packets the receiver quarantined.</summary>
    public long Rejected { get; init; }

    public long PacketsVerified { get; init; }

    public Dictionary<string, long> Restarts { get; init; } = [];

    public bool Passed => Lost == 0 && Duplicated == 0 && Altered == 0 && ReadingsTaken > 0;

    public string ToJson() => new JsonObject
    {
        ["readings_taken"] = ReadingsTaken,
        ["readings_provincial"] = ReadingsProvincial,
        ["readings_national"] = ReadingsNational,
        ["expected_provincial"] = ExpectedProvincial,
        ["expected_national"] = ExpectedNational,
        ["lost"] = Lost,
        ["duplicated"] = Duplicated,
        ["altered"] = Altered,
        ["duplicates_absorbed"] = DuplicatesAbsorbed,
        ["rejected"] = Rejected,
        ["packets_verified"] = PacketsVerified,
        ["restarts"] = new JsonObject(Restarts.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
        ["passed"] = Passed,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>Reads the figures of a running or finished demo.</summary>
public sealed class DemoProbe(DemoPlan plan, HttpClient http)
{
    /// <summary>Readings each gateway committed, by idempotency key "gw:n", as "value|statDate".</summary>
    public Dictionary<string, (string Gateway, string Value, DateTime Time)> Taken()
    {
        var taken = new Dictionary<string, (string, string, DateTime)>();
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
                    taken[$"{gateway.Id}:{parts[0]}"] = (gateway.Id, parts[4], time);
                }
            }
        }

        return taken;
    }

    public async Task<long> TakenCountAsync() => await Task.FromResult(Taken().Count);

    public async Task<JsonArray> RecordsAsync(int port, CancellationToken cancel) =>
        await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/_sim/records", cancel) ?? [];

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

    /// <summary>Counts every reading against what each platform stored.</summary>
    public async Task<DemoFigures> FiguresAsync(Dictionary<string, long> restarts, CancellationToken cancel)
    {
        var taken = Taken();
        var provincial = await RecordsAsync(plan.Ports.Provincial, cancel);
        var national = await RecordsAsync(plan.Ports.National, cancel);
        var provincialExpected = taken.Where(t => plan.IsProvincial(t.Value.Gateway)).ToDictionary();
        var (provincialLost, provincialDuplicated, provincialAltered, provincialCount) = Compare(provincialExpected, provincial);
        var (nationalLost, nationalDuplicated, nationalAltered, nationalCount) = Compare(taken, national);
        var absorbed = 0L;
        foreach (var port in new[] { plan.Ports.Provincial, plan.Ports.National })
        {
            absorbed += (long)(await StatsAsync(port, cancel))["duplicates"]!;
        }

        var store = await StoreTotalsAsync(cancel);
        return new DemoFigures
        {
            ReadingsTaken = taken.Count,
            ReadingsProvincial = provincialCount,
            ReadingsNational = nationalCount,
            ExpectedProvincial = provincialExpected.Count,
            ExpectedNational = taken.Count,
            Lost = provincialLost + nationalLost,
            Duplicated = provincialDuplicated + nationalDuplicated,
            Altered = provincialAltered + nationalAltered,
            DuplicatesAbsorbed = absorbed,
            Rejected = store.Quarantined,
            PacketsVerified = store.Packets,
            Restarts = restarts,
        };
    }

    private static (long Lost, long Duplicated, long Altered, long Delivered) Compare(
        Dictionary<string, (string Gateway, string Value, DateTime Time)> expected, JsonArray records)
    {
        var stored = records.OfType<JsonObject>().GroupBy(r => (string?)r["idempotencyKey"] ?? "").ToDictionary(g => g.Key, g => g.ToList());
        long lost = 0, altered = 0;
        foreach (var (key, reading) in expected)
        {
            if (!stored.TryGetValue(key, out var copies))
            {
                lost++;
                continue;
            }

            var record = copies[0];
            var statDate = reading.Time.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            if ((string?)record["dataValue"] != reading.Value || (string?)record["statDate"] != statDate)
            {
                altered++;
            }
        }

        var duplicated = stored.Values.Sum(copies => (long)copies.Count - 1);
        return (lost, duplicated, altered, stored.Keys.Count(expected.ContainsKey));
    }

    /// <summary>The receiver's store totals (GET /admin/store); -1 while it cannot answer (e.g. killed by the chaos run).</summary>
    private async Task<(long Packets, long Quarantined)> StoreTotalsAsync(CancellationToken cancel)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{plan.Ports.Admin}/admin/store");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", plan.AdminToken);
            using var response = await http.SendAsync(request, cancel);
            response.EnsureSuccessStatusCode();
            var totals = await response.Content.ReadFromJsonAsync<JsonObject>(cancel);
            return ((long)totals!["packets"]!, (long)totals["quarantined"]!);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return (-1, -1);
        }
    }
}
