using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Demo;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>`edgemeter demo`: the whole chain on this machine, checked end to end.</summary>
public static class DemoVerb
{
    public static Command Create(CliConsole console)
    {
        var duration = new Option<int>("--duration") { Description = "Seconds of polling before the drain and the check.", DefaultValueFactory = _ => 30 };
        var gateways = new Option<int>("--gateways") { Description = "Gateway processes.", DefaultValueFactory = _ => 2 };
        var meters = new Option<int>("--meters") { Description = "Simulated meters per gateway (DL/T 645-2007, Modbus, DL/T 645-1997 in turn).", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print only the summary, as JSON." };
        var keep = new Option<string?>("--keep") { Description = "Keep everything in this directory: configurations, keys, logs, databases, a read-only platform account." };
        var chaos = new Option<bool>("--chaos") { Description = "Kill and restart gateways and the receiver, take a platform down, silence meters, at random moments." };
        var store = new Option<string>("--store")
        {
            Description = "sqlite: one receiver with its embedded broker. postgres: receivers in a group on a private PostgreSQL cluster, sharing Mosquitto (Debian's postgresql and mosquitto).",
            DefaultValueFactory = _ => "sqlite",
        };
        var receivers = new Option<int>("--receivers") { Description = "Receivers in the group (with --store postgres): 1-3.", DefaultValueFactory = _ => 1 };
        var hold = new Option<bool>("--hold") { Description = "After the summary, keep the chain running (gateways started again) until Ctrl+C, to browse the web console." };
        var seed = new Option<int>("--seed") { Description = "Seed of the chaos schedule.", DefaultValueFactory = _ => 7 };
        var days = new Option<int>("--simulated-days")
        {
            Description = "Whole days to live through in --duration seconds on a simulated clock shared by meters, gateways and receiver (0: real time, no indicators).",
            DefaultValueFactory = _ => 1,
        };

        var command = new Command("demo", "Run meters, gateways, the receiver and two platforms on this machine and check that every reading arrived once.");
        foreach (var option in new Option[] { duration, gateways, meters, json, keep, chaos, seed, days, hold, store, receivers })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancel) => RunAsync(console, new DemoOptions(
            parse.GetValue(keep) ?? "", parse.GetValue(duration), parse.GetValue(gateways), parse.GetValue(meters), parse.GetValue(json), parse.GetValue(chaos), parse.GetValue(seed), parse.GetValue(days), parse.GetValue(hold),
            Postgres(parse.GetValue(store)!), parse.GetValue(receivers)),
            parse.GetValue(keep), cancel));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, DemoOptions requested, string? keep, CancellationToken cancel)
    {
        var (duration, gateways, meters, json, chaos) = (requested.DurationSeconds, requested.Gateways, requested.MetersPerGateway, requested.Json, requested.Chaos);
        if (requested.SimulatedDays is < 0 or > 62)
        {
            throw new CliException("--simulated-days must be 0..62", ExitCodes.Usage);
        }

        if (duration is < 5 or > 86_400)
        {
            throw new CliException("--duration must be 5..86400 seconds", ExitCodes.Usage);
        }

        if (gateways is < 1 or > 20 || meters is < 1 or > 12)
        {
            throw new CliException("--gateways must be 1..20 and --meters 1..12", ExitCodes.Usage);
        }

        if (requested.Receivers is < 1 or > 3 || (requested.Receivers > 1 && !requested.Postgres))
        {
            throw new CliException("--receivers must be 1..3, and more than 1 needs --store postgres (a group shares one database)", ExitCodes.Usage);
        }

        if (requested.Postgres)
        {
            RequireGroupPeers();
        }

        var directory = keep ?? Path.Combine(Path.GetTempPath(), "edgemeter-demo-" + Guid.NewGuid().ToString("N")[..8]);
        if (keep is not null && Directory.Exists(keep) && Directory.EnumerateFileSystemEntries(keep).Any())
        {
            throw new CliException($"--keep {keep} is not empty: choose a new directory", ExitCodes.Usage);
        }

        DemoFigures figures;
        DemoPlan plan;
        using (var runner = new DemoRunner(requested with { Directory = directory }, console.Out))
        {
            figures = await runner.RunAsync(cancel);
            plan = runner.Plan;
            console.Out.WriteLine(json ? figures.ToJson() : Summary(figures, chaos));
            if (requested.Hold)
            {
                await HoldAsync(console, runner, cancel);
            }
        }

        if (keep is null)
        {
            TryDelete(directory);
        }
        else if (!json)
        {
            console.Out.WriteLine($"kept in {Path.GetFullPath(directory)} (see platform-account.txt to subscribe and verify packets yourself)");
            console.Out.WriteLine($"web console: {plan.ConsoleAddress}, user {DemoPlan.ConsoleUser}, password {plan.ConsolePassword} (also in console-account.txt); `demo --hold` keeps the chain running after the check, or run the receiver again with the kept configuration");
        }

        return figures.Passed ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>
    /// Gateways polling again, the receiver and the platforms running, until Ctrl+C or SIGTERM: System.CommandLine
    /// cancels the action's token and gives it CliRunner.StopPatience to stop the chain.
    /// </summary>
    private static async Task HoldAsync(CliConsole console, DemoRunner runner, CancellationToken cancel)
    {
        runner.Resume();
        console.Out.WriteLine($"holding the chain: web console {runner.Plan.ConsoleAddress} (user {DemoPlan.ConsoleUser}, password {runner.Plan.ConsolePassword}); Ctrl+C stops it");
        try
        {
            await Task.Delay(Timeout.Infinite, cancel);
        }
        catch (OperationCanceledException)
        {
            console.Out.WriteLine("stopping the chain");
        }
    }

    private static string Summary(DemoFigures f, bool chaos) => string.Join(Environment.NewLine,
    [
        "",
        $"readings taken by the gateways:      {f.ReadingsTaken}",
        $"stored by the receiver:              {f.ReadingsStored}   lost: {f.Lost}   untraced: {f.Untraced}   stored twice: {f.Duplicated}   altered: {f.Altered}   packets rejected: {f.Rejected}",
        f.FrozenReadings > 0 ? $"read back from the meters' daily freezes for missed midnights: {f.FrozenReadings}" : "",
        .. f.Platforms.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Key + " platform:",-37}{p.Value.Realtime} real-time, {p.Value.Daily} daily, {p.Value.Monthly} monthly values; completeness min {p.Value.CompletenessMin:0.0} %; reconciliation failures {p.Value.ReconciliationFailures}; days missing {p.Value.MissingDays}")),
        $"duplicate deliveries the platforms absorbed (same idempotency key): {f.DuplicatesAbsorbed}",
        $"message pushed by the provincial platform (signed, SM4 login): shown by {f.PushShown} of {f.PushExpected} gateways",
        chaos ? $"chaos: {string.Join(", ", f.Restarts.Select(r => $"{r.Key} {r.Value}"))}" : "",
        f.Passed
            ? "PASSED: every reading reached the receiver once and unchanged" + (f.SimulatedDays > 0 ? "; every platform holds every day of every item routed to it, each value equal to what the readings give, intervals summing to days and days to months." : ".")
            : "FAILED: see the figures above and the logs.",
    ]);

    private static bool Postgres(string store) => store.ToLowerInvariant() switch
    {
        "sqlite" => false,
        "postgres" => true,
        _ => throw new CliException($"--store '{store}' is not sqlite or postgres", ExitCodes.Usage),
    };

    // A group needs what Debian packages: say so before anything starts.
    private static void RequireGroupPeers()
    {
        if (Common.Postgres.LocalPostgresCluster.BinaryDirectory() is null)
        {
            throw new CliException("--store postgres needs PostgreSQL (apt-get install postgresql): no /usr/lib/postgresql/*/bin/pg_ctl", ExitCodes.Failure);
        }

        if (!File.Exists(DemoRunner.Mosquitto))
        {
            throw new CliException($"--store postgres needs Mosquitto, the broker the receivers share (apt-get install mosquitto): no {DemoRunner.Mosquitto}", ExitCodes.Failure);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
