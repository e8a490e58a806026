namespace EdgeMeter.Receiver.Store;

public enum StoreDisposition
{
    /// <summary>New packet, stored with the gateway's high-water mark.</summary>
    Stored,

    /// <summary>The same packet (same gateway, seq and bytes) was stored before: acknowledge and drop.</summary>
    Duplicate,

    /// <summary>Kept in quarantine with a reason (replay conflict, far below the replay window).</summary>
    Quarantined,
}

/// <summary>
/// What the store did with a verified packet. FreshReadings + DuplicateReadings + ConflictingReadings = the packet's
/// readings; a stored packet with conflicting readings carries <see cref="ReadingConflict"/> and the first reason.
/// </summary>
public readonly record struct StoreOutcome(StoreDisposition Disposition, long PacketId, int FreshReadings, int DuplicateReadings, string Error, string Reason, int ConflictingReadings = 0)
{
    /// <summary>The error name of a reading number stored before with another value: an alert like <see cref="ReplayConflict"/>.</summary>
    public const string ReadingConflict = "ReadingConflict";

    /// <summary>The error name of a seq stored before with different content: an alert.</summary>
    public const string ReplayConflict = "ReplayConflict";

    /// <summary>The error name of a seq far below the gateway's high-water mark.</summary>
    public const string ReplayWindow = "ReplayWindow";

    public static StoreOutcome Duplicate(long packetId) => new(StoreDisposition.Duplicate, packetId, 0, 0, "", "");

    public static StoreOutcome Quarantine(string error, string reason) => new(StoreDisposition.Quarantined, 0, 0, 0, error, reason);
}

/// <summary>
/// A message kept out of the data because it failed a check; nothing received is dropped silently. Size is the
/// message's length; Kept is the message, or its first <see cref="MaxKeptBytes"/> bytes.
/// </summary>
public sealed record QuarantineEntry(DateTime ReceivedUtc, string? Client, string Topic, string? GatewayId, long? Sequence, string Error, string Reason, int Size, byte[] Kept)
{
    /// <summary>At most this much of a message is kept (an oversized message is recorded, not stored whole).</summary>
    public const int MaxKeptBytes = 4096;

    /// <summary>Messages kept whole per gateway, error and UTC day; the rest are counted (quarantine_counts).</summary>
    public const int SamplePerDay = 100;

    public static byte[] Keep(ReadOnlySpan<byte> message) =>
        (message.Length > MaxKeptBytes ? message[..MaxKeptBytes] : message).ToArray();
}
