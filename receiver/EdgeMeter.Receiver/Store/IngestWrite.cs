using System.Data.Common;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Verify;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The replay decision and the inserts for one verified packet, run by the single writer inside the group
/// transaction, so the decision and the high-water mark it relies on commit together (docs/packet-format.md,
/// "Sequence numbers and replay"):
/// - (gw, seq) stored before with the same bytes: Duplicate (a redelivery after a lost PUBACK);
/// - (gw, seq) stored before with other bytes: quarantined, ReplayConflict (an alert);
/// - unseen seq more than the replay window below the high-water mark: quarantined, ReplayWindow (the last will
///   the gateway announced is exempt);
/// - otherwise stored; readings whose (gw, n) is already stored are counted as duplicates and not stored again.
/// The writer runs it for hundreds of packets per transaction, so the statements every packet needs are prepared
/// once and the gateways' replay state comes from the <see cref="GatewayLedger"/>: the usual packet costs one insert
/// for its row and one per 16 readings on SQLite, one statement for both on PostgreSQL, nothing else.
/// </summary>
internal sealed class IngestWrite(long replayWindow, IIngestStatements statements, bool sharedWithOtherWriters) : ITransactionHooks, IDisposable
{
    private readonly GatewayLedger _ledger = new(forOneTransaction: sharedWithOtherWriters);

    public void AfterBegin(DbConnection db, IReadOnlyCollection<string> gateways) => _ledger.Prefetch(db, gateways);

    /// <summary>Writes what the ledger holds for this transaction; the writer calls it just before COMMIT.</summary>
    public void BeforeCommit(DbConnection db) => _ledger.Flush(statements);

    /// <summary>The transaction was rolled back: what the ledger holds may not be in the database.</summary>
    public void AfterRollback() => _ledger.Discard();

    public StoreOutcome Apply(DbConnection db, IngestedPacket packet, string? client, string topic, DateTime nowUtc)
    {
        var gw = packet.GatewayId;
        var state = _ledger.Find(db, gw);
        if (state is { } known && replayWindow > 0 && packet.Sequence < known.HighWater - replayWindow && !IsAnnouncedWill(packet, known))
        {
            return StoredBefore(db, packet, client, topic, nowUtc)
                ?? Refuse(db, packet, client, topic, nowUtc, StoreOutcome.ReplayWindow, $"seq {packet.Sequence} is more than {replayWindow} below {gw}'s high-water mark {known.HighWater}");
        }

        // Retention deleted this gateway's packets up to PrunedSequence: an unknown one from then is a replay, not news.
        if (state is { } pruned && packet.Sequence <= pruned.PrunedSequence)
        {
            return StoredBefore(db, packet, client, topic, nowUtc)
                ?? Refuse(db, packet, client, topic, nowUtc, StoreOutcome.ReplayWindow, $"seq {packet.Sequence} of {gw} is older than the history kept (pruned up to seq {pruned.PrunedSequence})");
        }

        var now = Sql.Time(nowUtc);
        var (inserted, fresh) = statements.InsertPacket(packet, PacketNames.Kind(packet.Kind), now, client);
        if (inserted is not { } packetId)
        {
            return StoredBefore(db, packet, client, topic, nowUtc) ?? throw new InvalidOperationException($"seq {packet.Sequence} of {gw} is neither new nor stored");
        }

        var conflicts = new List<string>();
        if (fresh < packet.Readings.Count)
        {
            // Rare (readings re-sent after a reboot): the packet row assumed they were all new.
            db.Execute("UPDATE packets SET fresh_readings = @fresh WHERE id = @id", ("@fresh", fresh), ("@id", packetId));
            conflicts = ReadingConflicts(db, packet, packetId);
            foreach (var conflict in conflicts)
            {
                Quarantine(db, new QuarantineEntry(nowUtc, client, topic, gw, packet.Sequence, StoreOutcome.ReadingConflict, conflict,
                    packet.Packet.Length, QuarantineEntry.Keep(System.Text.Encoding.ASCII.GetBytes(packet.Packet))));
            }
        }

        if (packet.Reply is { } reply)
        {
            RecordReply(db, packet, reply, now);
        }

        // Last, after every statement succeeded: a packet that fails leaves the ledger as it was (ITransactionHooks).
        _ledger.Record(gw, NextState(packet, state), now);
        return new StoreOutcome(StoreDisposition.Stored, packetId, fresh, packet.Readings.Count - fresh - conflicts.Count,
            conflicts.Count > 0 ? StoreOutcome.ReadingConflict : "", conflicts.Count > 0 ? conflicts[0] : "", conflicts.Count);
    }

    /// <summary>
    /// The readings of this packet whose (gw, n) another packet stored with other content: a gateway never re-sends
    /// a reading changed, so this is forgery or a corrupt buffer. The stored reading stays; each is described.
    /// </summary>
    private static List<string> ReadingConflicts(DbConnection db, IngestedPacket packet, long packetId)
    {
        var conflicts = new List<string>();
        foreach (var reading in packet.Readings)
        {
            var stored = db.Query(
                "SELECT meter, point, t, val, unit, flags FROM readings WHERE gw = @gw AND n = @n AND packet_id != @packet",
                r => (Meter: r.GetString(0), Point: r.GetString(1), Time: r.GetString(2), Value: r.GetString(3), Unit: r.GetString(4), Flags: r.GetInt64(5)),
                ("@gw", packet.GatewayId), ("@n", reading.N), ("@packet", packetId)).FirstOrDefault();
            if (stored.Meter is not null && stored != (reading.Meter, reading.Point, reading.Time, reading.Value, reading.Unit, (long)reading.Flags))
            {
                conflicts.Add($"reading n {reading.N} of {packet.GatewayId} was stored as {stored.Meter}/{stored.Point} {stored.Value} {stored.Unit} at {stored.Time}; " +
                    $"seq {packet.Sequence} says {reading.Meter}/{reading.Point} {reading.Value} {reading.Unit} at {reading.Time}; the stored one is kept");
            }
        }

        return conflicts;
    }

    /// <summary>
    /// Counts every quarantined message per gateway, error and UTC day (quarantine_counts), and keeps the first
    /// <see cref="QuarantineEntry.SamplePerDay"/> of each whole: a client sending junk cannot grow the database without end.
    /// </summary>
    public static void Quarantine(DbConnection db, QuarantineEntry entry)
    {
        var at = Sql.Time(entry.ReceivedUtc);
        (string, object?)[] key = [("@gw", entry.GatewayId ?? ""), ("@error", entry.Error), ("@day", at[..10]), ("@at", at)];
        var kept = db.ScalarLong(
            """
            INSERT INTO quarantine_counts(gw, error, day, total, kept, last_at) VALUES (@gw, @error, @day, 1, 0, @at)
            ON CONFLICT(gw, error, day) DO UPDATE SET total = quarantine_counts.total + 1, last_at = @at RETURNING kept
            """, key);
        if (kept >= QuarantineEntry.SamplePerDay)
        {
            return;
        }

        db.Execute("UPDATE quarantine_counts SET kept = kept + 1 WHERE gw = @gw AND error = @error AND day = @day", key);
        db.Execute(
            "INSERT INTO quarantine(received_at, client, topic, gw, seq, error, reason, size, packet) VALUES (@at, @client, @topic, @gw, @seq, @error, @reason, @size, @packet)",
            ("@at", at), ("@client", entry.Client), ("@topic", entry.Topic), ("@gw", entry.GatewayId),
            ("@seq", entry.Sequence), ("@error", entry.Error), ("@reason", entry.Reason), ("@size", entry.Size), ("@packet", entry.Kept));
    }

    /// <summary>Retention deleted <paramref name="gw"/>'s packets up to seq <paramref name="sequence"/> in this transaction.</summary>
    public void RaisePruned(string gw, long sequence) => _ledger.RaisePruned(gw, sequence);

    public void Dispose() => statements.Dispose();

    // (gw, seq) stored before: the same bytes are a redelivery, other bytes a replay conflict. Null: not stored.
    private static StoreOutcome? StoredBefore(DbConnection db, IngestedPacket packet, string? client, string topic, DateTime nowUtc)
    {
        using var find = db.Command("SELECT id, packet FROM packets WHERE gw = @gw AND seq = @seq", ("@gw", packet.GatewayId), ("@seq", packet.Sequence));
        long id;
        string stored;
        using (var reader = find.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (id, stored) = (reader.GetInt64(0), reader.GetString(1));
        }

        return stored == packet.Packet
            ? StoreOutcome.Duplicate(id)
            : Refuse(db, packet, client, topic, nowUtc, StoreOutcome.ReplayConflict, $"seq {packet.Sequence} of {packet.GatewayId} was stored before with different content");
    }

    private static StoreOutcome Refuse(DbConnection db, IngestedPacket packet, string? client, string topic, DateTime nowUtc, string error, string reason)
    {
        Quarantine(db, new QuarantineEntry(nowUtc, client, topic, packet.GatewayId, packet.Sequence, error, reason, packet.Packet.Length, Bytes(packet)));
        return StoreOutcome.Quarantine(error, reason);
    }

    private static bool IsAnnouncedWill(IngestedPacket packet, GatewayRow known) =>
        packet.Status is { State: GatewayState.Offline } && known.WillSequence == packet.Sequence;

    // The high-water mark only grows. The state follows the newest status, or the announced last will.
    private static GatewayRow NextState(IngestedPacket packet, GatewayRow? state)
    {
        var highWater = Math.Max(state?.HighWater ?? packet.Sequence, packet.Sequence);
        var will = state?.WillSequence;
        var gatewayState = state?.State;
        var stateSequence = state?.StateSequence;
        if (packet.Status is { } status && (stateSequence is null || packet.Sequence > stateSequence || (status.State == GatewayState.Offline && packet.Sequence == will)))
        {
            gatewayState = PacketNames.State(status.State);
            stateSequence = Math.Max(stateSequence ?? packet.Sequence, packet.Sequence);
            if (status.State == GatewayState.Online)
            {
                will = status.WillSequence;
            }
        }

        return new GatewayRow(highWater, will, gatewayState, stateSequence, state?.PrunedSequence ?? 0);
    }

    // The first reply to a command decides its result; later ones (e.g. "rejected" for a re-delivered command) are kept in replies.
    private static void RecordReply(DbConnection db, IngestedPacket packet, ReplyInfo reply, string now)
    {
        var result = PacketNames.Result(reply.Result);
        db.Execute(
            "INSERT INTO replies(gw, seq, cmd, result, message, received_at) VALUES (@gw, @seq, @cmd, @result, @msg, @at)",
            ("@gw", packet.GatewayId), ("@seq", packet.Sequence), ("@cmd", reply.CommandSequence), ("@result", result), ("@msg", reply.Message), ("@at", now));
        db.Execute(
            "UPDATE commands SET state = 'replied', result = @result, message = @msg, replied_at = @at WHERE gw = @gw AND seq = @cmd AND replied_at IS NULL",
            ("@gw", packet.GatewayId), ("@cmd", reply.CommandSequence), ("@result", result), ("@msg", reply.Message), ("@at", now));
    }

    private static byte[] Bytes(IngestedPacket packet) => System.Text.Encoding.ASCII.GetBytes(packet.Packet);
}
