namespace EdgeMeter.Receiver.Commands;

/// <summary>Where a command stands: queued -> sent -> replied, or expired before a reply came.</summary>
public static class CommandStates
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Replied = "replied";
    public const string Expired = "expired";
}

/// <summary>A command for a gateway as the admin API shows it. Result and Message are the gateway's reply.</summary>
public sealed record CommandRecord(
    long Id,
    string Gateway,
    long Sequence,
    string Name,
    IReadOnlyDictionary<string, string> Args,
    string RequestedBy,
    DateTime CreatedUtc,
    DateTime ExpiresUtc,
    string State,
    int Attempts,
    DateTime? SentUtc,
    string? Result,
    string? Message,
    DateTime? RepliedUtc);

/// <summary>The request is wrong (bad name or arguments, unknown gateway); the message says how.</summary>
public sealed class CommandRequestException(string message, bool unknownGateway = false) : Exception(message)
{
    public bool UnknownGateway { get; } = unknownGateway;
}
