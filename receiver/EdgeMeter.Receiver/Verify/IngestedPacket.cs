using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;

namespace EdgeMeter.Receiver.Verify;

/// <summary>
/// A packet that verified, copied out of the verifier's reusable buffers: the envelope, the original packet text
/// (relayed unchanged, byte for byte) and the typed content of its kind.
/// </summary>
public sealed record IngestedPacket(
    PacketKind Kind,
    string GatewayId,
    long Sequence,
    int KeyVersion,
    DateTime CreatedUtc,
    string Packet,
    IReadOnlyList<ReadingRow> Readings,
    StatusInfo? Status,
    ReplyInfo? Reply);

/// <summary>One reading as stored: the value is kept as the exact decimal text the gateway signed.</summary>
public sealed record ReadingRow(long N, string Meter, string Point, DateTime TimeUtc, string Value, string Unit, ReadingFlags Flags)
{
    /// <summary>The time as stored (the packet format's text), made when the packet is verified rather than by the store's single writer.</summary>
    public string Time { get; } = PacketText.FormatTime(TimeUtc);
}

public sealed record StatusInfo(GatewayState State, string Firmware, long UptimeSeconds, bool ClockSynchronized, long Queued, long WillSequence);

public sealed record ReplyInfo(long CommandSequence, CommandResult Result, string Message);
