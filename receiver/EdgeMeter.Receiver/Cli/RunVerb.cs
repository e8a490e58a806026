using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Time;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Cli;

/// <summary>`run --config FILE` (until SIGTERM or Ctrl+C) and `check-config --config FILE`.</summary>
internal static class RunVerb
{
    public static Command Create(TextWriter output)
    {
        var config = ConfigOption(required: true);
        var command = new Command("run", "Run the receiver until SIGTERM or Ctrl+C.") { config };
        command.SetAction(async (parse, _) =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stop));
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stop));
            RunningReceiver running;
            try
            {
                var simulated = SimulatedTime.FromEnvironment();
                if (simulated is not null)
                {
                    output.WriteLine($"{ReceiverCli.Name}: running on a simulated clock ({simulated.Speed}x, now {simulated.UtcNow:yyyy-MM-dd HH:mm:ss}Z)");
                }

                running = await ReceiverApp.StartAsync(options, new ReceiverStartOptions { Time = simulated?.AsTimeProvider() ?? TimeProvider.System, ConfigPath = Path.GetFullPath(parse.GetValue(config)!) });
            }
            catch (Exception failure) when (failure is IOException or System.Net.Sockets.SocketException or System.Data.Common.DbException or InvalidOperationException)
            {
                throw new CliException($"cannot start: {failure.Message}", ExitCodes.Failure);
            }

            await using (running)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine($"{ReceiverCli.Name}: stopping");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateCheck(TextWriter output)
    {
        var config = ConfigOption(required: true);
        var gateways = new Option<string[]>("--gateway-config")
        {
            Description = "Gateway configuration files (gateway.json) to check the data items' terms against.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("check-config", "Validate a configuration file (and the environment overrides) without starting.") { config, gateways };
        command.SetAction(parse =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            var routing = Routing.From(options);
            output.WriteLine($"configuration is valid: ingest {options.Ingest.Mode}, {options.Gateways.Count} gateways, {options.Enterprises.Count} enterprises, {options.Platforms.Count} platforms, {options.Items.Count} data items");
            foreach (var platform in options.Platforms)
            {
                output.WriteLine($"  {platform.Name} ({(platform.Http is not null ? "http" : "mqtt")}): {string.Join(", ", routing.GatewaysOf(platform.Name))}");
            }

            var files = parse.GetValue(gateways) ?? [];
            return files.Length == 0 ? ExitCodes.Ok : CrossCheck(options, files, output);
        });
        return command;
    }

    private static int CrossCheck(ReceiverOptions options, string[] files, TextWriter output)
    {
        var result = GatewayCrossCheck.Check(options, files.Select(path => (path, LoadGateway(path))).ToList());
        foreach (var note in result.Notes)
        {
            output.WriteLine($"  note: {note}");
        }

        if (result.Problems.Count > 0)
        {
            var count = result.Problems.Count == 1 ? "1 problem" : $"{result.Problems.Count} problems";
            throw new CliException($"the data items against the gateway configurations: {count}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", result.Problems)}", ExitCodes.Usage);
        }

        output.WriteLine($"every term of every data item names a point its gateway reads ({files.Length} gateway configurations)");
        return ExitCodes.Ok;
    }

    private static Core.Config.GatewayConfig LoadGateway(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--gateway-config {path}: cannot read it: {failure.Message}", ExitCodes.Usage);
        }

        return Core.Config.GatewayConfigReader.Read(bytes, bytes.Length, out var problems)
            ?? throw new CliException($"--gateway-config {path}: {string.Join("; ", problems)}", ExitCodes.Usage);
    }

    internal static Option<string> ConfigOption(bool required) =>
        new("--config", "-c") { Description = "Configuration file (JSON, see docs/receiver.md).", Required = required };

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        signal.Cancel = true;
        stop.Cancel();
    }
}
