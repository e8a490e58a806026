namespace EdgeMeter.Core.Messages;

public enum CommandResult
{
    /// <summary>"ok": done.</summary>
    Ok = 0,

    /// <summary>"rejected": refused (stale sequence number, bad arguments, not allowed).</summary>
    Rejected,

    /// <summary>"failed": tried and failed (e.g. the meter did not answer).</summary>
    Failed,

    /// <summary>"expired": arrived after its expiry.</summary>
    Expired,

    /// <summary>"unsupported": the gateway does not know this command.</summary>
    Unsupported,
}
