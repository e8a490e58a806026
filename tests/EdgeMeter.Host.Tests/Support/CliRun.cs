using EdgeMeter.Host.Cli;

namespace EdgeMeter.Host.Tests.Support;

/// <summary>Runs `edgemeter` in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = EdgeMeterCli.Run(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}
