using System.CommandLine;
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
        yield return VersionVerb.Create(console);
        yield return MeterSimVerb.Create(console);
        yield return ReadVerb.Create(console);
        yield return ScanVerb.Create(console);
        yield return VerifyVerb.Create(console);
        yield return GatewayVerb.Create(console);
        yield return DemoVerb.Create(console);
        yield return ProvisionVerb.Create(console);
        yield return ReleaseVerb.Create(console);
        yield return NtpVerb.Create(console);
    }
}
