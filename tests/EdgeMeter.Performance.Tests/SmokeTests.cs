using System.Text.Json.Nodes;
using EdgeMeter.Benchmarks;
using EdgeMeter.LoadTest;
using EdgeMeter.LoadTest.Ingest;

namespace EdgeMeter.Performance.Tests;

/// <summary>
/// The benchmarks and the load tool in their small smoke modes, so they do not rot: each must finish and write a
/// summary with the expected tables and columns. Nothing here looks at a timing.
/// </summary>
public sealed class SmokeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-perf-smoke-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Benchmark_harness_runs_every_benchmark_once_and_writes_the_reports()
    {
        Assert.Equal(0, BenchmarkProgram.Run(["--smoke", "--out", _directory]));

        var summary = Summary("benchmarks-smoke");
        var methods = Rows(summary, "smoke-benchmarks").Select(r => $"{r["benchmark"]}.{r["method"]}").ToList();
        Assert.Contains("GatewayCycleBenchmark.PollAndPublish", methods);
        Assert.Contains("PacketSignBenchmark.SignWithPlatformHmac", methods);
        Assert.Contains("PacketSignBenchmark.SignWithJsonWebTokenHandler", methods);
        Assert.Contains("PacketVerifyBenchmark.VerifyWithPlatformHmac", methods);
        Assert.Contains("ParserBenchmark.ParseDlt645Reply", methods);
        Assert.Contains("ParserBenchmark.ParseModbusBlockOf9Points", methods);
        AssertFigures(summary, "storage", "stored B/reading", "written B/reading", "write amplification", "CSV B/reading");
        AssertFigures(summary, "gateway-allocations", "allocated B/cycle (mean)", "cycles that allocated");
        AssertFigures(summary, "packet-allocations", "allocated B/packet, platform HMAC");
        AssertFigures(summary, "wire", "MQTT bytes/reading", "readings MB/month (+TLS, TCP/IP, PUBACK)");
        AssertFigures(summary, "heap", "retained B (nanoFramework model)", "largest B allocated in a steady cycle");
        Assert.True(File.Exists(Path.Combine(_directory, "benchmarks-smoke.md")));
    }

    [Fact]
    public async Task Load_tool_runs_bus_ingest_relay_and_export_in_smoke_mode_and_writes_its_summary()
    {
        RequireMosquitto();
        using var output = new StringWriter();

        Assert.Equal(0, await LoadTestProgram.RunAsync(["all", "--smoke", "--out", _directory], output));

        var summary = Summary("loadtest-smoke");
        Assert.Equal(4, AssertFigures(summary, "bus", "measured s (median)", "physical minimum s", "ratio").Count);
        // The machine's CPU comes from Linux's /proc/stat.
        var ingest = OperatingSystem.IsLinux()
            ? AssertFigures(summary, "ingest", "packets/s (median)", "p50 ms", "p99 ms", "machine CPU us per packet", "machine busy %")
            : AssertFigures(summary, "ingest", "packets/s (median)", "p50 ms", "p99 ms");
        Assert.Contains(ingest, r => r["target"]!.GetValue<string>().Contains("Mosquitto -> receiver", StringComparison.Ordinal));
        Assert.Contains(ingest, r => r["target"]!.GetValue<string>().Contains("embedded", StringComparison.Ordinal));
        Assert.All(ingest.Where(r => r["baseline"]!.GetValue<string>() != "(baseline)"), r => Assert.True(r["ratio to baseline"] is JsonValue));
        AssertFigures(summary, "ingest-stages", "packets/s", "us per packet");
        var relay = AssertFigures(summary, "relay", "readings/s (median)", "lag p50 readings", "lag max readings");
        Assert.Equal(["http-per-record", "http-batch", "mqtt"], relay.Select(r => r["tier"]!.GetValue<string>()));
        var tail = AssertFigures(summary, "tail", "packets", "p99 ms", "p99.9 ms", "largest WAL MB", "commits", "writer busy %");
        Assert.Equal(["none: do-nothing MQTTnet broker (the floor)", "inside commits (before)", "beside commits (default)"], tail.Select(r => r["checkpoints"]!.GetValue<string>()));
        Assert.All(tail.Skip(1), r => Assert.True(r["commits"]!.GetValue<double>() > 0, $"no commits counted in {r.ToJsonString()}"));
        var flood = AssertFigures(summary, "flood", "good packets", "p99 ms", "flood packets sent", "quarantine rows");
        Assert.Equal(["no flood", "flood, guard on (120/min)", "flood, guard off"], flood.Select(r => r["run"]!.GetValue<string>()));
        var export = AssertFigures(summary, "export-memory", "rows", "peak resident MB");
        Assert.Equal(["csv", "xlsx", "csv", "xlsx"], export.Select(r => r["format"]!.GetValue<string>()));
        Assert.Equal(2 * 16 * 96 * 2, export[^1]["rows"]!.GetValue<double>()); // 2 gateways x 16 points x 96 a day x 2 days
        Assert.NotNull(summary["machine"]?["cores"]);
    }

    [Fact]
    public async Task Load_tool_runs_the_pinned_tail_with_the_receiver_as_a_process_in_smoke_mode()
    {
        RequireTwoCoresAndTaskset();
        using var output = new StringWriter();

        Assert.Equal(0, await LoadTestProgram.RunAsync(["pinned-tail", "--smoke", "--out", _directory], output));

        var tail = AssertFigures(Summary("loadtest-smoke"), "pinned-tail", "packets", "p50 ms", "p99 ms", "p99.9 ms", "process CPU us per packet");
        Assert.Equal(["none: do-nothing MQTTnet broker (the floor)", "receiver (embedded broker)"], tail.Select(r => r["target"]!.GetValue<string>()));
        Assert.All(tail, r => Assert.Equal(400, r["packets"]!.GetValue<double>())); // 2 gateways at 200 packets/s for 2 s, every one acknowledged
        Assert.True(tail[1]["commits"]!.GetValue<double>() > 0, $"the receiver's /metrics counted no commit: {tail[1].ToJsonString()}");
    }

    [Fact]
    public async Task Load_tool_runs_the_pinned_ingest_comparison_in_smoke_mode()
    {
        RequireTwoCoresAndTaskset();
        RequireMosquitto();
        using var output = new StringWriter();

        Assert.Equal(0, await LoadTestProgram.RunAsync(["pinned", "--smoke", "--out", _directory], output));

        var pinned = AssertFigures(Summary("loadtest-smoke"), "pinned-ingest", "packets/s (median)");
        Assert.Equal(4, pinned.Count); // two targets, each beside its do-nothing baseline
        Assert.All(pinned, r => Assert.Equal(1, r["runs"]!.GetValue<double>())); // no run stalled
        Assert.All(pinned.Where(r => r["baseline"]!.GetValue<string>() != "(baseline)"), r => Assert.True(r["ratio to baseline"]!.GetValue<double>() > 0));
    }

    private static void RequireTwoCoresAndTaskset()
    {
        var taskset = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "taskset")));
        if (Environment.ProcessorCount >= 2 && taskset)
        {
            return;
        }

        var reason = $"pinned runs need 2 cores and taskset (util-linux); this machine has {Environment.ProcessorCount} core(s){(taskset ? "" : " and no taskset")}";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason + ", and CI=true requires them");
        }

        Assert.Skip(reason);
    }

    private static void RequireMosquitto()
    {
        if (MosquittoBroker.Find() != null)
        {
            return;
        }

        const string reason = "mosquitto is not installed (Debian package mosquitto; `bash .ci/install-peers` installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason + ", and CI=true requires it");
        }

        Assert.Skip(reason);
    }

    private JsonNode Summary(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, name + ".json")))!;

    private static JsonNode Table(JsonNode summary, string name) =>
        summary["tables"]!.AsArray().SingleOrDefault(t => t!["name"]!.GetValue<string>() == name) ?? throw new Xunit.Sdk.XunitException($"no table {name}");

    private static List<JsonObject> Rows(JsonNode summary, string table) => [.. Table(summary, table)["rows"]!.AsArray().Select(r => r!.AsObject())];

    /// <summary>The table has rows, and every row a number in each of <paramref name="columns"/>.</summary>
    private static List<JsonObject> AssertFigures(JsonNode summary, string table, params string[] columns)
    {
        var rows = Rows(summary, table);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            foreach (var column in columns)
            {
                Assert.True(row[column] is JsonValue value && value.TryGetValue<double>(out _), $"{table}: '{column}' is not a number in {row.ToJsonString()}");
            }
        }

        return rows;
    }
}
