namespace EdgeMeter.Common.Cli;

/// <summary>A problem a command reports as one clear line and a non-zero exit code, never as a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
