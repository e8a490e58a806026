namespace EdgeMeter.Receiver.Cli;

/// <summary>Exit codes of every `edgemeter-receiver` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The task failed (e.g. a broken audit chain, a port in use).</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong.</summary>
    public const int Usage = 2;
}

/// <summary>Ends a command with one line "edgemeter-receiver: error: ..." and the exit code.</summary>
public sealed class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
