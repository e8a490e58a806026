using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `edgemeter-receiver`: run | check-config | keys (list|add|rotate|remove) | hash-password | audit verify |
/// platform (protect-password|check) | dead-letters (list|retry|drop) | gateways import | version.
/// </summary>
public static class ReceiverCli
{
    public const string Name = "edgemeter-receiver";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        var root = new RootCommand("EdgeMeter receiver: verifies and stores gateway packets, relays them to provincial and national platforms.");
        foreach (var command in new[]
        {
            RunVerb.Create(output), RunVerb.CreateCheck(output), KeysVerb.Create(output), HashPasswordVerb.Create(output, input),
            AuditVerb.Create(output), PlatformVerb.Create(output, input), DeadLettersVerb.Create(output), GatewaysVerb.Create(output), UsersVerb.Create(output, input), ExportVerb.Create(output), MigrateVerb.Create(output), VersionVerb(output),
        })
        {
            root.Subcommands.Add(command);
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration);
        }
        catch (CliException failure)
        {
            error.WriteLine($"{Name}: error: {failure.Message}");
            return failure.ExitCode;
        }
        catch (ConfigException failure)
        {
            foreach (var problem in failure.Problems)
            {
                error.WriteLine($"{Name}: error: config: {problem}");
            }

            return ExitCodes.Usage;
        }
    }

    private static Command VersionVerb(TextWriter output)
    {
        var command = new Command("version", "Print the receiver's version.");
        command.SetAction(_ =>
        {
            var version = typeof(ReceiverCli).Assembly.GetName().Version?.ToString() ?? "0.0.0";
            output.WriteLine($"{Name} {version}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
