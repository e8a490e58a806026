using System.CommandLine;
using EdgeMeter.Host.Commands;
using EdgeMeter.MeterSim.Cli;
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

        return CliRunner.Run(root, args, console);
    }

    private static IEnumerable<Command> Commands(CliConsole console)
    {
        yield return VersionCommand.Create(console);
        yield return MeterSimCommand.Create(console);
        yield return ReadCommand.Create(console);
        yield return ScanCommand.Create(console);
        yield return VerifyCommand.Create(console);
        yield return GatewayCommand.Create(console);
        yield return DemoCommand.Create(console);
        yield return ProvisionCommand.Create(console);
    }
}
