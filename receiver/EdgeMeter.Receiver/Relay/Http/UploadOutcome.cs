namespace EdgeMeter.Receiver.Relay.Http;

public enum UploadOutcomeKind
{
    /// <summary>The platform acknowledged the record (possibly as a duplicate of one it already had).</summary>
    Delivered,

    /// <summary>The platform (or the client's own check) refused the record itself: resending cannot help.</summary>
    Rejected,

    /// <summary>Nothing conclusive came back (5xx, timeout, network, token or version trouble): send again later.</summary>
    Retry,
}

/// <summary>What became of one record. Code is the platform's responseCode or HTTP status; 0 when none came.</summary>
public readonly record struct UploadOutcome(UploadOutcomeKind Kind, int Code, string Reason, bool Duplicate = false)
{
    public bool IsDelivered => Kind == UploadOutcomeKind.Delivered;

    public static UploadOutcome Delivered(string reason, bool duplicate = false) =>
        new(UploadOutcomeKind.Delivered, 200, reason, duplicate);

    public static UploadOutcome Rejected(int code, string reason) => new(UploadOutcomeKind.Rejected, code, reason);

    public static UploadOutcome Retry(int code, string reason) => new(UploadOutcomeKind.Retry, code, reason);

    public override string ToString() => $"{Kind} ({Code}): {Reason}";
}

/// <summary>A call before the upload itself (requestAK, checkVersion) failed; Outcome says how.</summary>
public sealed class PlatformCallException(UploadOutcome outcome) : Exception(outcome.Reason)
{
    public UploadOutcome Outcome { get; } = outcome;
}
