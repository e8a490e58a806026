using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>`edgemeter version`: the build this binary came from.</summary>
public static class VersionVerb
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("version", "Print the edgemeter version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionVerb).Assembly.GetName().Version;
            console.Out.WriteLine($"edgemeter {version}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
