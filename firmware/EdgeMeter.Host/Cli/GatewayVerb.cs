using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Pc.Cli;
using EdgeMeter.Pc.Runtime;

namespace EdgeMeter.Host.Cli;

/// <summary>`edgemeter gateway --config FILE --keys FILE [--data DIR]`: the gateway core on a PC.</summary>
public static class GatewayVerb
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<string>("--config") { Description = "Gateway configuration file (docs/config.md).", Required = true };
        var keys = new Option<string>("--keys") { Description = "Key file holding this gateway's HMAC key (edgemeter provision writes one).", Required = true };
        var data = new Option<string>("--data") { Description = "Data directory: the reading buffer and sequence numbers.", DefaultValueFactory = _ => "edgemeter-data" };
        var duration = new Option<int?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl-C)." };
        var trialSeconds = new Option<int>("--trial-seconds") { Description = "How long a new configuration may take to reach the broker before it is rolled back.", DefaultValueFactory = _ => 120 };
        var logEvery = new Option<int>("--log-every") { Description = "Seconds between progress lines.", DefaultValueFactory = _ => 10 };
        var trace = new Option<string?>("--trace") { Description = "Append every committed reading to this file (n meter point time value)." };

        var command = new Command("gateway", "Run the gateway on this PC: poll meters, buffer every reading, publish signed packets, obey commands.");
        foreach (var option in new Option[] { config, keys, data, duration, trialSeconds, logEvery, trace })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var configPath = parse.GetValue(config)!;
            var initial = GatewayConfigFile.Load(configPath);
            foreach (var note in initial.Notes)
            {
                console.Note($"{configPath}: {note}");
            }
            var registry = LoadKeys(parse.GetValue(keys)!);
            if (registry.FindKey(initial.GatewayId, initial.KeyVersion) == null)
            {
                throw new CliException($"key file {parse.GetValue(keys)} has no key for {initial.GatewayId} version {initial.KeyVersion}", ExitCodes.Usage);
            }

            var seconds = parse.GetValue(duration);
            if (seconds is <= 0 || parse.GetValue(trialSeconds) <= 0 || parse.GetValue(logEvery) <= 0)
            {
                throw new CliException("--duration, --trial-seconds and --log-every must be positive", ExitCodes.Usage);
            }

            var options = new GatewayHostOptions(
                TimeSpan.FromSeconds(parse.GetValue(trialSeconds)),
                TimeSpan.FromSeconds(parse.GetValue(logEvery)),
                seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                parse.GetValue(trace));
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    stop.Cancel();
                });
            try
            {
                return new GatewayHost(configPath, new GatewayData(parse.GetValue(data)!), registry, console.Out, options).Run(stop.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    private static KeyRegistry LoadKeys(string path)
    {
        try
        {
            return KeyRegistry.Load(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"key file {path}: {failure.Message}", ExitCodes.Usage);
        }
    }
}
