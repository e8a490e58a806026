namespace EdgeMeter.Common.Cli;

/// <summary>Exit codes of every EdgeMeter command (`edgemeter`, `edgemeter-receiver`, the simulators).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The task failed: the meter did not answer, a packet is invalid, a link is unreachable.</summary>
    public const int Failure = 1;

    /// <summary>The command line or a configuration file is wrong.</summary>
    public const int Usage = 2;

    public const int Cancelled = 130;
}
