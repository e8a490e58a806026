using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Store;

/// <summary>A gateway's replay state: the high-water mark, the announced last will and the latest state.</summary>
internal readonly record struct GatewayRow(long HighWater, long? WillSequence, string? State, long? StateSequence);

/// <summary>
/// The writer's copy of the gateways table. The single writer is the table's only writer, so the rows it read
/// or changed stay true until a rollback; a packet's replay decision then costs no query, and each gateway's row
/// is written once per group transaction (<see cref="Flush"/>, just before COMMIT) rather than once per packet.
/// After a rollback the copy is dropped (<see cref="Discard"/>) and read again.
/// </summary>
internal sealed class GatewayLedger : IDisposable
{
    private readonly Dictionary<string, GatewayRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _changed = new(StringComparer.Ordinal);
    private SqliteCommand? _select;
    private SqliteCommand? _upsert;

    public GatewayRow? Find(SqliteConnection db, string gw)
    {
        if (_rows.TryGetValue(gw, out var row))
        {
            return row;
        }

        var found = Load(db, gw);
        if (found is { } known)
        {
            _rows[gw] = known;
        }

        return found;
    }

    /// <summary>Records the gateway's new state; <paramref name="seenAt"/> is the store time of the packet.</summary>
    public void Record(string gw, GatewayRow row, string seenAt)
    {
        _rows[gw] = row;
        _changed[gw] = seenAt;
    }

    /// <summary>Writes the rows changed in this transaction.</summary>
    public void Flush(SqliteConnection db)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        _upsert ??= db.Prepared(
            """
            INSERT INTO gateways(gw, high_water, will_seq, state, state_seq, first_seen, last_seen) VALUES ($gw, $hw, $will, $state, $stateSeq, $now, $now)
            ON CONFLICT(gw) DO UPDATE SET high_water = $hw, will_seq = $will, state = $state, state_seq = $stateSeq, last_seen = $now
            """,
            "$gw", "$hw", "$will", "$state", "$stateSeq", "$now");
        foreach (var (gw, seenAt) in _changed)
        {
            var row = _rows[gw];
            _upsert.Run(gw, row.HighWater, row.WillSequence, row.State, row.StateSequence, seenAt);
        }

        _changed.Clear();
    }

    /// <summary>Forgets everything: the transaction that changed it was rolled back.</summary>
    public void Discard()
    {
        _rows.Clear();
        _changed.Clear();
    }

    public void Dispose()
    {
        _select?.Dispose();
        _upsert?.Dispose();
    }

    private GatewayRow? Load(SqliteConnection db, string gw)
    {
        _select ??= db.Prepared("SELECT high_water, will_seq, state, state_seq FROM gateways WHERE gw = $gw", "$gw");
        _select.Parameters[0].Value = gw;
        using var reader = _select.ExecuteReader();
        return reader.Read()
            ? new GatewayRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.NullableString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3))
            : null;
    }
}
