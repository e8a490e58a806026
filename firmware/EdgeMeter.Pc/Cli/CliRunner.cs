using System.CommandLine;
using System.CommandLine.Help;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Links;

namespace EdgeMeter.Pc.Cli;

/// <summary>
/// Runs a gateway-side program's command line: a bad command line or a failure ends with one line on standard error
/// and its exit code (docs/simulator.md, "Exit codes"), never with a stack trace.
/// </summary>
public static class CliRunner
{
    /// <summary>
    /// How long a command has after Ctrl+C or SIGTERM to stop on its own (stop its child processes, flush its buffer)
    /// before System.CommandLine ends it with 130 or 143. Its default of 2 s cut `demo --hold` short on a busy machine
    /// and left the chain's processes behind.
    /// </summary>
    public static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);

    public static int Run(RootCommand root, string[] args, CliConsole console)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // One line naming the first problem; `--help` shows the rest.
            console.Fail($"{parse.Errors[0].Message} (see `{console.Program} {CommandPath(parse)}--help`)");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = StopPatience,
        };
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
}
