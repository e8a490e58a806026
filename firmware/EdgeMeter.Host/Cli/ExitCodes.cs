namespace EdgeMeter.Host.Cli;

/// <summary>Exit codes shared by every `edgemeter` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The task failed: the meter did not answer, a packet is invalid, a link is unreachable.</summary>
    public const int Failure = 1;

    /// <summary>The command line or a configuration file is wrong.</summary>
    public const int Usage = 2;

    public const int Cancelled = 130;
}
