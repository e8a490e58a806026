using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Host.Cli;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Commands;

/// <summary>`edgemeter version`: the build this binary came from.</summary>
public static class VersionCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("version", "Print the edgemeter version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetName().Version;
            console.Out.WriteLine($"edgemeter {version}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
