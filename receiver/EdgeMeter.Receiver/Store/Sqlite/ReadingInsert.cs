using System.Text;
using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// Inserts a packet's readings with as few statements as possible: one multi-row INSERT for up to
/// <see cref="RowsPerStatement"/> readings (SQLite's cost per statement run is about that of a row), each
/// reading whose (gw, n) is stored already skipped. Statements are prepared once per row count.
/// </summary>
internal sealed class ReadingInsert : IDisposable
{
    public const int RowsPerStatement = 16;
    private const int ColumnsPerRow = 7;
    private readonly RawStatement?[] _statements = new RawStatement?[RowsPerStatement + 1];

    /// <summary>The readings not stored before (the others are re-sends).</summary>
    public int Insert(SqliteConnection db, IngestedPacket packet, long packetId)
    {
        var readings = packet.Readings;
        var fresh = 0;
        for (var first = 0; first < readings.Count; first += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, readings.Count - first);
            var insert = StatementFor(db, rows).Bind(1, packet.GatewayId).Bind(2, packetId);
            for (var r = 0; r < rows; r++)
            {
                var reading = readings[first + r];
                var at = 3 + (r * ColumnsPerRow);
                insert.Bind(at, reading.N).Bind(at + 1, reading.Meter).Bind(at + 2, reading.Point).Bind(at + 3, reading.Time)
                    .Bind(at + 4, reading.Value).Bind(at + 5, reading.Unit).Bind(at + 6, (long)reading.Flags);
            }

            fresh += insert.Execute();
        }

        return fresh;
    }

    public void Dispose()
    {
        foreach (var statement in _statements)
        {
            statement?.Dispose();
        }
    }

    private RawStatement StatementFor(SqliteConnection db, int rows) => _statements[rows] ??= new RawStatement(db, Sql(rows));

    private static string Sql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO readings(gw, n, packet_id, meter, point, t, val, unit, flags) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            var at = 3 + (r * ColumnsPerRow);
            sql.Append(r == 0 ? "" : ", ").Append($"(?1, ?{at}, ?2, ?{at + 1}, ?{at + 2}, ?{at + 3}, ?{at + 4}, ?{at + 5}, ?{at + 6})");
        }

        return sql.Append(" ON CONFLICT(gw, n) DO NOTHING").ToString();
    }
}
