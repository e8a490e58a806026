namespace EdgeMeter.Core.Messages;

/// <summary>
/// A command to a gateway (a "down" packet). Its sequence number is the packet's "seq", drawn from the sender's
/// own per-gateway counter; the gateway executes a command only if that number is higher than any it accepted
/// before and the command has not expired.
/// </summary>
public sealed class GatewayCommand
{
    public string Name { get; set; } = "";

    /// <summary>The command is void at and after this UTC time.</summary>
    public System.DateTime ExpiresUtc { get; set; }

    public CommandArgument[] Arguments { get; set; } = new CommandArgument[0];
}
