using System.CommandLine;
using System.CommandLine.Help;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Links;
using EdgeMeter.Host.Commands;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>The `edgemeter` command line: one subcommand per technician task.</summary>
public static class EdgeMeterCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("EdgeMeter gateway tools: the gateway core on a PC, meter simulator, bench commands.");
        foreach (var command in Commands(console))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // One line naming the first problem; `--help` shows the rest.
            console.Fail($"{parse.Errors[0].Message} (see `edgemeter {CommandPath(parse)}--help`)");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(configuration);
        }
        catch (CliException failure)
        {
            console.Fail(failure.Message);
            return failure.ExitCode;
        }
        catch (LinkException failure)
        {
            console.Fail(failure.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            console.Fail("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            console.Fail(failure.Message);
            return ExitCodes.Failure;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        return command is RootCommand ? string.Empty : $"{command.Name} ";
    }

    private static IEnumerable<Command> Commands(CliConsole console)
    {
        yield return VersionCommand.Create(console);
        yield return SimCommand.Create(console);
        yield return ReadCommand.Create(console);
        yield return ScanCommand.Create(console);
        yield return VerifyCommand.Create(console);
        yield return GatewayCommand.Create(console);
        yield return DemoCommand.Create(console);
        yield return ProvisionCommand.Create(console);
    }
}
