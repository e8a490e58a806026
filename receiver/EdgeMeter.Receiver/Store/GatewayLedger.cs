using System.Data.Common;

namespace EdgeMeter.Receiver.Store;

/// <summary>A gateway's replay state: the high-water mark, the announced last will and the latest state.</summary>
internal readonly record struct GatewayRow(long HighWater, long? WillSequence, string? State, long? StateSequence, long PrunedSequence = 0);

/// <summary>
/// The writer's copy of the gateways table. The single writer is the table's only writer, so the rows it read
/// or changed stay true until a rollback; a packet's replay decision then costs no query, and each gateway's row
/// is written once per group transaction (<see cref="Flush"/>, just before COMMIT) rather than once per packet.
/// After a rollback the copy is dropped (<see cref="Discard"/>) and read again. Where other receivers write the same
/// database (<see cref="StoreDatabase.SharedWithOtherWriters"/>) the copy lasts one transaction: the receivers'
/// transactions take turns, so within one the copy is the truth, but between two another receiver may have written.
/// </summary>
internal sealed class GatewayLedger(bool forOneTransaction = false)
{
    private readonly Dictionary<string, GatewayRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _changed = new(StringComparer.Ordinal);

    /// <summary>
    /// A transaction begins with writes for <paramref name="gateways"/>: where the copy lasts one transaction, their
    /// rows are read now in one query rather than one each.
    /// </summary>
    public void Prefetch(DbConnection db, IReadOnlyCollection<string> gateways)
    {
        var missing = gateways.Where(gw => !_rows.ContainsKey(gw)).ToList();
        if (!forOneTransaction || missing.Count < 2)
        {
            return;
        }

        var names = missing.Select((_, i) => $"@g{i}").ToList();
        using var select = db.Command(
            $"SELECT gw, high_water, will_seq, state, state_seq, pruned_seq FROM gateways WHERE gw IN ({string.Join(", ", names)})",
            [.. missing.Select((gw, i) => (names[i], (object?)gw))]);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            _rows[reader.GetString(0)] = Row(reader, 1);
        }
    }

    public GatewayRow? Find(DbConnection db, string gw)
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

    /// <summary>Writes the rows changed in this transaction.</summary>
    public void Flush(IIngestStatements statements)
    {
        foreach (var (gw, seenAt) in _changed)
        {
            statements.UpsertGateway(gw, _rows[gw], seenAt);
        }

        _changed.Clear();
        if (forOneTransaction)
        {
            _rows.Clear();
        }
    }

    /// <summary>Forgets everything: the transaction that changed it was rolled back.</summary>
    public void Discard()
    {
        _rows.Clear();
        _changed.Clear();
    }

    // Once per gateway until a rollback: no need to keep the statement.
    private static GatewayRow? Load(DbConnection db, string gw)
    {
        using var select = db.Command("SELECT high_water, will_seq, state, state_seq, pruned_seq FROM gateways WHERE gw = @gw", ("@gw", gw));
        using var reader = select.ExecuteReader();
        return reader.Read() ? Row(reader, 0) : null;
    }

    private static GatewayRow Row(DbDataReader reader, int first) => new(
        reader.GetInt64(first), reader.IsDBNull(first + 1) ? null : reader.GetInt64(first + 1), reader.NullableString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetInt64(first + 3), reader.GetInt64(first + 4));
}
