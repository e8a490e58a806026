using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;

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
/// </summary>
internal static class IngestWrite
{
    public static StoreOutcome Apply(SqliteConnection db, IngestedPacket packet, string? client, string topic, DateTime nowUtc, long replayWindow)
    {
        var gw = packet.GatewayId;
        using (var existing = db.Command("SELECT id, packet FROM packets WHERE gw = $gw AND seq = $seq", ("$gw", gw), ("$seq", packet.Sequence)))
        using (var reader = existing.ExecuteReader())
        {
            if (reader.Read())
            {
                if (reader.GetString(1) == packet.Packet)
                {
                    return StoreOutcome.Duplicate(reader.GetInt64(0));
                }

                var reason = $"seq {packet.Sequence} of {gw} was stored before with different content";
                Quarantine(db, new QuarantineEntry(nowUtc, client, topic, gw, packet.Sequence, StoreOutcome.ReplayConflict, reason, packet.Packet.Length, Bytes(packet)));
                return StoreOutcome.Quarantine(StoreOutcome.ReplayConflict, reason);
            }
        }

        var state = GatewayRow.Read(db, gw);
        if (state is { } known && replayWindow > 0 && packet.Sequence < known.HighWater - replayWindow && !IsAnnouncedWill(packet, known))
        {
            var reason = $"seq {packet.Sequence} is more than {replayWindow} below {gw}'s high-water mark {known.HighWater}";
            Quarantine(db, new QuarantineEntry(nowUtc, client, topic, gw, packet.Sequence, StoreOutcome.ReplayWindow, reason, packet.Packet.Length, Bytes(packet)));
            return StoreOutcome.Quarantine(StoreOutcome.ReplayWindow, reason);
        }

        var packetId = db.ScalarLong(
            "INSERT INTO packets(gw, seq, kind, packet, received_at, client) VALUES ($gw, $seq, $kind, $packet, $at, $client) RETURNING id",
            ("$gw", gw), ("$seq", packet.Sequence), ("$kind", PacketNames.Kind(packet.Kind)), ("$packet", packet.Packet),
            ("$at", Sql.Time(nowUtc)), ("$client", client))!.Value;

        var fresh = InsertReadings(db, packet, packetId);
        if (fresh > 0)
        {
            db.Execute("UPDATE packets SET fresh_readings = $fresh WHERE id = $id", ("$fresh", fresh), ("$id", packetId));
        }

        UpdateGateway(db, packet, state, nowUtc);
        if (packet.Reply is { } reply)
        {
            RecordReply(db, packet, reply, nowUtc);
        }

        return new StoreOutcome(StoreDisposition.Stored, packetId, fresh, packet.Readings.Count - fresh, "", "");
    }

    public static void Quarantine(SqliteConnection db, QuarantineEntry entry)
    {
        db.Execute(
            "INSERT INTO quarantine(received_at, client, topic, gw, seq, error, reason, size, packet) VALUES ($at, $client, $topic, $gw, $seq, $error, $reason, $size, $packet)",
            ("$at", Sql.Time(entry.ReceivedUtc)), ("$client", entry.Client), ("$topic", entry.Topic), ("$gw", entry.GatewayId),
            ("$seq", entry.Sequence), ("$error", entry.Error), ("$reason", entry.Reason), ("$size", entry.Size), ("$packet", entry.Kept));
    }

    private static bool IsAnnouncedWill(IngestedPacket packet, GatewayRow known) =>
        packet.Status is { State: GatewayState.Offline } && known.WillSequence == packet.Sequence;

    private static int InsertReadings(SqliteConnection db, IngestedPacket packet, long packetId)
    {
        if (packet.Readings.Count == 0)
        {
            return 0;
        }

        using var insert = db.Command(
            "INSERT INTO readings(gw, n, packet_id, meter, point, t, val, unit, flags) VALUES ($gw, $n, $packet, $meter, $point, $t, $val, $unit, $flags) ON CONFLICT(gw, n) DO NOTHING",
            ("$gw", packet.GatewayId), ("$n", 0L), ("$packet", packetId), ("$meter", ""), ("$point", ""), ("$t", ""), ("$val", ""), ("$unit", ""), ("$flags", 0));
        var fresh = 0;
        foreach (var reading in packet.Readings)
        {
            insert.Parameters["$n"].Value = reading.N;
            insert.Parameters["$meter"].Value = reading.Meter;
            insert.Parameters["$point"].Value = reading.Point;
            insert.Parameters["$t"].Value = PacketText.FormatTime(reading.TimeUtc);
            insert.Parameters["$val"].Value = reading.Value;
            insert.Parameters["$unit"].Value = reading.Unit;
            insert.Parameters["$flags"].Value = (int)reading.Flags;
            fresh += insert.ExecuteNonQuery();
        }

        return fresh;
    }

    // The high-water mark only grows. The state follows the newest status, or the announced last will.
    private static void UpdateGateway(SqliteConnection db, IngestedPacket packet, GatewayRow? state, DateTime nowUtc)
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

        db.Execute(
            """
            INSERT INTO gateways(gw, high_water, will_seq, state, state_seq, first_seen, last_seen) VALUES ($gw, $hw, $will, $state, $stateSeq, $now, $now)
            ON CONFLICT(gw) DO UPDATE SET high_water = $hw, will_seq = $will, state = $state, state_seq = $stateSeq, last_seen = $now
            """,
            ("$gw", packet.GatewayId), ("$hw", highWater), ("$will", will), ("$state", gatewayState), ("$stateSeq", stateSequence), ("$now", Sql.Time(nowUtc)));
    }

    // The first reply to a command decides its result; later ones (e.g. "rejected" for a re-delivered command) are kept in replies.
    private static void RecordReply(SqliteConnection db, IngestedPacket packet, ReplyInfo reply, DateTime nowUtc)
    {
        var result = PacketNames.Result(reply.Result);
        db.Execute(
            "INSERT INTO replies(gw, seq, cmd, result, message, received_at) VALUES ($gw, $seq, $cmd, $result, $msg, $at)",
            ("$gw", packet.GatewayId), ("$seq", packet.Sequence), ("$cmd", reply.CommandSequence), ("$result", result), ("$msg", reply.Message), ("$at", Sql.Time(nowUtc)));
        db.Execute(
            "UPDATE commands SET state = 'replied', result = $result, message = $msg, replied_at = $at WHERE gw = $gw AND seq = $cmd AND replied_at IS NULL",
            ("$gw", packet.GatewayId), ("$cmd", reply.CommandSequence), ("$result", result), ("$msg", reply.Message), ("$at", Sql.Time(nowUtc)));
    }

    private static byte[] Bytes(IngestedPacket packet) => System.Text.Encoding.ASCII.GetBytes(packet.Packet);

    private readonly record struct GatewayRow(long HighWater, long? WillSequence, string? State, long? StateSequence)
    {
        public static GatewayRow? Read(SqliteConnection db, string gw)
        {
            using var command = db.Command("SELECT high_water, will_seq, state, state_seq FROM gateways WHERE gw = $gw", ("$gw", gw));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new GatewayRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.NullableString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3))
                : null;
        }
    }
}
