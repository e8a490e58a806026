namespace EdgeMeter.Core.Messages;

/// <summary>The gateway's answer to a command (a "reply" packet).</summary>
public sealed class CommandReply
{
    /// <summary>The "seq" of the command this answers.</summary>
    public long CommandSequence { get; set; }

    public CommandResult Result { get; set; }

    public string Message { get; set; } = "";
}
