using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Verify;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ingest;

public enum IngestDisposition
{
    /// <summary>New and stored: forward to subscribers, relay.</summary>
    Stored,

    /// <summary>Seen before, identical: acknowledge, do not forward.</summary>
    Duplicate,

    /// <summary>Refused and kept in quarantine with the reason: acknowledge (it is recorded), never forward or relay.</summary>
    Quarantined,
}

/// <summary>What became of one received message.</summary>
public readonly record struct IngestResult(IngestDisposition Disposition, string Error, string Reason, int FreshReadings, int DuplicateReadings)
{
    /// <summary>The receiver's error name for a message a client had no right to publish.</summary>
    public const string AclDenied = "AclDenied";

    /// <summary>The receiver's error name for a command (down) arriving as if from a gateway.</summary>
    public const string WrongDirection = "WrongDirection";

    public bool Forward => Disposition == IngestDisposition.Stored;
}

/// <summary>
/// Verify, decide, store: the part both ingest modes share. The returned task completes once the outcome is on
/// disk (the packet, or its quarantine record); callers acknowledge only then. The synchronous part (verification
/// and queueing the write) runs before the first await, so writes keep arrival order. A store failure faults the
/// task: the caller must not acknowledge, so the client sends again.
/// </summary>
public sealed class IngestPipeline(PacketIntake intake, PacketStore store, ReceiverMetrics metrics, TimeProvider time, ILogger log)
{
    // A client sending junk or forgeries as fast as it can must not write a log line per packet.
    private readonly SampledLog _quarantineLog = new(log, TimeSpan.FromMinutes(1), time);
    private readonly SampledLog _alertLog = new(log, TimeSpan.FromMinutes(1), time, LogLevel.Error);

    /// <summary>A gateway's status was stored (after the commit): gateway id, the packet's sequence number and what it said.</summary>
    public event Action<string, long, StatusInfo>? StatusStored;

    public Task<IngestResult> IngestAsync(string? client, string topic, ReadOnlyMemory<byte> message)
    {
        metrics.Received();
        var verified = intake.Verify(topic, message.Span, time.GetUtcNow().UtcDateTime);
        if (!verified.IsValid)
        {
            return QuarantineAsync(client, topic, message, verified.Error, verified.Reason);
        }

        var packet = verified.Packet!;
        if (packet.Kind == PacketKind.Down)
        {
            return QuarantineAsync(client, topic, message, IngestResult.WrongDirection, "commands go from the receiver to gateways, never in");
        }

        metrics.Verified();
        return StoreAsync(packet, client, topic);
    }

    /// <summary>Records a message refused before verification (ACL) in quarantine.</summary>
    public Task<IngestResult> RefuseAsync(string? client, string topic, ReadOnlyMemory<byte> message, string error, string reason)
    {
        metrics.Received();
        return QuarantineAsync(client, topic, message, error, reason);
    }

    private async Task<IngestResult> StoreAsync(IngestedPacket packet, string? client, string topic)
    {
        StoreOutcome outcome;
        try
        {
            outcome = await store.StoreAsync(packet, client, topic);
        }
        catch
        {
            metrics.StoreFailure();
            throw;
        }

        switch (outcome.Disposition)
        {
            case StoreDisposition.Stored:
                metrics.Readings(outcome.FreshReadings, outcome.DuplicateReadings);
                if (packet.Kind == PacketKind.Reply)
                {
                    metrics.Reply();
                }

                if (outcome.ConflictingReadings > 0)
                {
                    metrics.ReplayAlert();
                    metrics.Quarantined(packet.GatewayId);
                    _alertLog.Note("ALERT replay: readings conflicting with stored ones, quarantined", packet.GatewayId,
                        $"{outcome.ConflictingReadings} in seq {packet.Sequence}: {outcome.Reason}");
                }

                if (outcome.DuplicateReadings > 0)
                {
                    log.LogInformation("{Gateway} seq {Seq}: {Duplicates} of {Count} readings were stored before (re-sent), not stored again",
                        packet.GatewayId, packet.Sequence, outcome.DuplicateReadings, packet.Readings.Count);
                }

                if (packet.Status is { } status)
                {
                    StatusStored?.Invoke(packet.GatewayId, packet.Sequence, status);
                }

                return new IngestResult(IngestDisposition.Stored, "", "", outcome.FreshReadings, outcome.DuplicateReadings);
            case StoreDisposition.Duplicate:
                metrics.Duplicate();
                return new IngestResult(IngestDisposition.Duplicate, "", "", 0, 0);
            default:
                metrics.Rejected(outcome.Error);
                metrics.Quarantined(packet.GatewayId);
                if (outcome.Error == StoreOutcome.ReplayConflict)
                {
                    metrics.ReplayAlert();
                    _alertLog.Note("ALERT replay: a seq stored before with other content, quarantined", packet.GatewayId, $"{outcome.Reason} (client {client})");
                }
                else
                {
                    _quarantineLog.Note($"quarantined ({outcome.Error})", packet.GatewayId, $"seq {packet.Sequence}: {outcome.Reason}");
                }

                return new IngestResult(IngestDisposition.Quarantined, outcome.Error, outcome.Reason, 0, 0);
        }
    }

    private async Task<IngestResult> QuarantineAsync(string? client, string topic, ReadOnlyMemory<byte> message, string error, string reason)
    {
        intake.Topics.TryParse(topic, out var gatewayId, out _);
        var entry = new QuarantineEntry(
            time.GetUtcNow().UtcDateTime, client, topic, gatewayId.Length > 0 ? gatewayId : null, null, error, reason,
            message.Length, QuarantineEntry.Keep(message.Span));
        try
        {
            await store.QuarantineAsync(entry);
        }
        catch
        {
            metrics.StoreFailure();
            throw;
        }

        metrics.Rejected(error);
        metrics.Quarantined(entry.GatewayId);
        _quarantineLog.Note($"quarantined ({error})", client ?? "(broker)", $"on {PacketIntake.Printable(topic)}: {reason}");
        return new IngestResult(IngestDisposition.Quarantined, error, reason, 0, 0);
    }
}
