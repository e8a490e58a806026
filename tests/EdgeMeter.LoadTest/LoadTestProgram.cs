using System.Globalization;
using EdgeMeter.LoadTest.Bus;
using EdgeMeter.LoadTest.Ingest;
using EdgeMeter.LoadTest.Relay;

namespace EdgeMeter.LoadTest;

/// <summary>
/// The load tool (README.md beside this file): <c>bus</c>, <c>ingest</c>, <c>relay</c> or <c>all</c>, with
/// <c>--smoke</c> (a small load, seconds, for CI), <c>--runs N</c> (default 3: figures are medians),
/// <c>--out DIR</c> (default artifacts/performance). Starts everything it needs on loopback and stops it again;
/// prints each table and writes <c>loadtest.md</c> and <c>loadtest.json</c> (<c>loadtest-smoke.*</c> with --smoke).
/// </summary>
public static class LoadTestProgram
{
    public const string DefaultOutput = "artifacts/performance";

    private static readonly string[] Commands = ["bus", "ingest", "stages", "tail", "relay", "export", "flood", "pinned", "pinned-tail", "consume", "group", "all"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        if (!Commands.Contains(command))
        {
            output.WriteLine("usage: EdgeMeter.LoadTest bus|ingest|stages|tail|relay|export|flood|pinned|pinned-tail|all [--smoke] [--runs N] [--gateways N,N] [--days N] [--out DIR]");
            return 2;
        }

        if (command == "consume")
        {
            // A child of "pinned": the do-nothing consumer in a process of its own.
            var mode = args.Where(a => !a.StartsWith('-')).Skip(1).FirstOrDefault() ?? "";
            return await PinnedConsumer.RunAsync(mode, int.Parse(Option(args, "--port") ?? "0", CultureInfo.InvariantCulture), Option(args, "--prefix") ?? "edgemeter/v1", output);
        }

        if (command is "pinned" or "pinned-tail" && PinnedIngestTest.PinSelf(args, output) is { } exitCode)
        {
            return exitCode;
        }

        var smoke = args.Contains("--smoke");
        var runs = int.Parse(Option(args, "--runs") ?? (smoke ? "1" : "3"), CultureInfo.InvariantCulture);
        var directory = Option(args, "--out") ?? DefaultOutput;
        var tables = new List<ResultTable>();
        var all = command == "all";
        if (all || command == "bus")
        {
            var bus = smoke ? new BusOptions { Meters = 1, Bauds = [9600], Runs = runs } : new BusOptions { Runs = runs };
            tables.Add(BusEfficiencyTest.Run(bus, output));
        }

        if (all || command == "ingest")
        {
            var ingest = smoke
                ? new IngestLoadOptions
                {
                    Gateways = 2, PacketsPerGateway = 100, Runs = runs, RunTimeout = TimeSpan.FromSeconds(20),
                    SteadyPacketsPerSecond = 200, SteadyDuration = TimeSpan.FromSeconds(0.5),
                }
                : new IngestLoadOptions { Runs = runs };
            var table = IngestTest.CreateTable(ingest);
            foreach (var gateways in Fleets(args, smoke))
            {
                // The same number of packets per run whatever the fleet: fewer each from a bigger one.
                await IngestScenarios.RunAsync(
                    ingest with { Gateways = gateways, PacketsPerGateway = Math.Max(1, ingest.Gateways * ingest.PacketsPerGateway / gateways) }, table, output);
            }

            IngestScenarios.AddNotes(table);
            tables.Add(table);
        }

        if (all || command == "ingest" || command == "stages")
        {
            tables.Add(await ReceiverStages.RunAsync(Fleets(args, smoke), smoke ? 100 : 30_000, output));
        }

        if (all || command == "relay")
        {
            var relay = smoke
                ? new RelayOptions { Gateways = 2, BacklogPacketsPerGateway = 20, SteadyPacketsPerSecond = 20, SteadyDuration = TimeSpan.FromSeconds(2), Runs = runs }
                : new RelayOptions { Runs = runs };
            tables.Add(await RelayTest.RunAsync(relay, output));
        }

        if (all || command == "tail")
        {
            tables.Add(await TailLatencyTest.RunAsync(Fleets(args, smoke), smoke ? 200 : 3000, TimeSpan.FromSeconds(smoke ? 2 : int.Parse(Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture)), output));
        }

        if (command == "group")
        {
            var group = smoke
                ? new IngestLoadOptions { Gateways = 2, PacketsPerGateway = 100, Runs = runs, RunTimeout = TimeSpan.FromSeconds(30), SteadyPacketsPerSecond = 200, SteadyDuration = TimeSpan.FromSeconds(0.5) }
                : new IngestLoadOptions { Runs = runs, SteadyPacketsPerSecond = 1000 }; // below PostgreSQL's capacity here, so latency is not a queue
            var table = IngestTest.CreateTable(group);
            foreach (var gateways in Fleets(args, smoke))
            {
                await ReceiverGroupScenario.RunAsync(group with { Gateways = gateways, PacketsPerGateway = Math.Max(1, group.Gateways * group.PacketsPerGateway / gateways) }, table, output);
            }

            ReceiverGroupScenario.AddNotes(table);
            tables.Add(table);
        }

        if (command == "pinned")
        {
            tables.Add(await PinnedIngestTest.RunAsync(Fleets(args, smoke), runs, output, smoke ? 400 : 30_000));
        }

        if (command == "pinned-tail")
        {
            tables.Add(await PinnedTailTest.RunAsync(
                Fleets(args, smoke), smoke ? 200 : 3000, TimeSpan.FromSeconds(smoke ? 2 : int.Parse(Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture)),
                smoke ? 1 : PinnedTailTest.WarmUpSeconds, output));
        }

        if (all || command == "flood")
        {
            tables.Add(await FloodTest.RunAsync(smoke ? 2 : 10, smoke ? 20 : 200, TimeSpan.FromSeconds(smoke ? 2 : 20), output));
        }

        if (all || command == "export")
        {
            tables.Add(await History.ExportMemoryTest.RunAsync(
                smoke ? 2 : Fleets(args, smoke: false, fallback: "50")[0], int.Parse(Option(args, "--days") ?? (smoke ? "2" : "183"), CultureInfo.InvariantCulture), output));
        }

        foreach (var table in tables)
        {
            output.WriteLine(table.ToMarkdown());
        }

        var name = smoke ? "loadtest-smoke" : "loadtest";
        ResultTable.WriteSummary(directory, name, smoke ? "Load test smoke run (small load; not figures)" : "Load test (EdgeMeter.LoadTest)", tables);
        output.WriteLine($"summary: {Path.GetFullPath(Path.Combine(directory, name + ".md"))} and .json");
        return 0;
    }

    private static int[] Fleets(string[] args, bool smoke, string fallback = "20,200") =>
        [.. (Option(args, "--gateways") ?? (smoke ? "2" : fallback)).Split(',').Select(g => int.Parse(g, CultureInfo.InvariantCulture))];

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
