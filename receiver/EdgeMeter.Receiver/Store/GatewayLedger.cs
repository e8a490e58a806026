using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Store;

/// <summary>A gateway's replay state: the high-water mark, the announced last will and the latest state.</summary>
internal readonly record struct GatewayRow(long HighWater, long? WillSequence, string? State, long? StateSequence, long PrunedSequence = 0);

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
    private RawStatement? _upsert;

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
    /// <summary>
    /// Retention deleted packets of <paramref name="gw"/> up to seq <paramref name="sequence"/> (gateways.pruned_seq is
    /// already written in this transaction): a cached row learns it too, without becoming a change to flush.
    /// </summary>
    public void RaisePruned(string gw, long sequence)
    {
        if (_rows.TryGetValue(gw, out var row) && sequence > row.PrunedSequence)
        {
            _rows[gw] = row with { PrunedSequence = sequence };
        }
    }

    public void Flush(SqliteConnection db)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        _upsert ??= new RawStatement(
            db,
            """
            INSERT INTO gateways(gw, high_water, will_seq, state, state_seq, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT(gw) DO UPDATE SET high_water = ?2, will_seq = ?3, state = ?4, state_seq = ?5, last_seen = ?6
            """);
        foreach (var (gw, seenAt) in _changed)
        {
            var row = _rows[gw];
            _upsert.Bind(1, gw).Bind(2, row.HighWater).Bind(3, row.WillSequence).Bind(4, row.State).Bind(5, row.StateSequence).Bind(6, seenAt).Execute();
        }

        _changed.Clear();
    }

    /// <summary>Forgets everything: the transaction that changed it was rolled back.</summary>
    public void Discard()
    {
        _rows.Clear();
        _changed.Clear();
    }

    public void Dispose() => _upsert?.Dispose();

    // Once per gateway until a rollback: no need to keep the statement.
    private static GatewayRow? Load(SqliteConnection db, string gw)
    {
        using var select = db.Command("SELECT high_water, will_seq, state, state_seq, pruned_seq FROM gateways WHERE gw = $gw", ("$gw", gw));
        using var reader = select.ExecuteReader();
        return reader.Read()
            ? new GatewayRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.NullableString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt64(4))
            : null;
    }
}
