using System.Data.Common;
using System.Globalization;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.History;

/// <summary>
/// Raw readings or indicator values of Beijing days, each row as the store holds it with times in Beijing time, into a
/// sheet (CSV or xlsx). Rows are written as they are read, so a six-month export holds a few rows in memory at a time.
/// </summary>
public static class HistoryExport
{
    public static readonly string[] ReadingColumns = ["gateway", "n", "meter", "point", "time_beijing", "value", "unit", "flags"];
    public static readonly string[] IndicatorColumns = ["enterprise", "data_code", "name", "stat_type", "start_beijing", "value", "unit", "valid", "flags", "final", "revision"];

    public static async Task<long> WriteAsync(DbConnection db, ItemCatalogue items, ExportRequest request, IExportSheet sheet, CancellationToken cancel)
    {
        var readings = request.What == ExportRequest.Readings;
        await sheet.TitleAsync(request.Title(), readings ? ReadingColumns : IndicatorColumns, cancel);
        var rows = readings ? await ReadingsAsync(db, request, sheet, cancel) : await IndicatorValuesAsync(db, items, request, sheet, cancel);
        await sheet.FinishAsync(cancel);
        return rows;
    }

    /// <summary>In reading-time order through readings_by_time (a range of the index, whatever the filters).</summary>
    private static async Task<long> ReadingsAsync(DbConnection db, ExportRequest request, IExportSheet sheet, CancellationToken cancel)
    {
        using var command = db.CreateCommand();
        // SQLite is told the index; PostgreSQL's planner chooses it for a range of t by itself.
        var byTime = db is Microsoft.Data.Sqlite.SqliteConnection ? "INDEXED BY readings_by_time" : "";
        command.CommandText = $"""
            SELECT gw, n, meter, point, t, val, unit, flags FROM readings {byTime}
            WHERE t >= @from AND t < @to AND (CAST(@gw AS TEXT) IS NULL OR gw = @gw) AND (CAST(@meter AS TEXT) IS NULL OR meter = @meter)
            ORDER BY t, gw, meter, point, n
            """;
        command.Parameters.Add(Sql.Parameter(command, "@from", Iso(request.FromUtc)));
        command.Parameters.Add(Sql.Parameter(command, "@to", Iso(request.ToUtc)));
        command.Parameters.Add(Sql.Parameter(command, "@gw", (object?)request.Gateway ?? DBNull.Value));
        command.Parameters.Add(Sql.Parameter(command, "@meter", (object?)request.Meter ?? DBNull.Value));
        using var reader = command.ExecuteReader();
        var row = new ExportCell[ReadingColumns.Length];
        long rows = 0;
        while (reader.Read())
        {
            row[0] = new(reader.GetString(0));
            row[1] = new(reader.GetInt64(1).ToString(CultureInfo.InvariantCulture), ExportCellKind.Number);
            row[2] = new(reader.GetString(2));
            row[3] = new(reader.GetString(3));
            row[4] = new(Beijing(reader.GetString(4)), ExportCellKind.Time);
            row[5] = new(reader.GetString(5), ExportCellKind.Number);
            row[6] = new(reader.GetString(6));
            row[7] = new(Flags(reader.GetInt32(7)));
            await sheet.RowAsync(row, cancel);
            rows++;
        }

        return rows;
    }

    /// <summary>Item by item, each period type a range of the indicators' key.</summary>
    private static async Task<long> IndicatorValuesAsync(DbConnection db, ItemCatalogue items, ExportRequest request, IExportSheet sheet, CancellationToken cancel)
    {
        var keys = request.Item is { } one ? [one] : db.Query(
            """
            WITH RECURSIVE next(item) AS (
                SELECT MIN(item) FROM indicators
                UNION ALL SELECT (SELECT MIN(item) FROM indicators WHERE item > next.item) FROM next WHERE next.item IS NOT NULL)
            SELECT item FROM next WHERE item IS NOT NULL
            """, r => r.GetString(0));
        var row = new ExportCell[IndicatorColumns.Length];
        long rows = 0;
        foreach (var key in keys)
        {
            var item = items.Find(key);
            var code = key.Split('/');
            foreach (var type in Enum.GetValues<StatType>())
            {
                using var command = db.CreateCommand();
                command.CommandText = """
                    SELECT start_t, value, valid, flags, final, revision FROM indicators
                    WHERE item = @item AND stat_type = @type AND start_t >= @from AND start_t < @to ORDER BY start_t
                    """;
                command.Parameters.Add(Sql.Parameter(command, "@item", key));
                command.Parameters.Add(Sql.Parameter(command, "@type", (int)type));
                command.Parameters.Add(Sql.Parameter(command, "@from", SampleReader.ToMs(request.FromUtc)));
                command.Parameters.Add(Sql.Parameter(command, "@to", SampleReader.ToMs(request.ToUtc)));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    row[0] = new(code[0]);
                    row[1] = new(code[^1]);
                    row[2] = new(item?.Name ?? "");
                    row[3] = new(type.ToString());
                    row[4] = new(PlatformTime.Format(PlatformTime.FromUtc(SampleReader.FromMs(reader.GetInt64(0)))), ExportCellKind.Time);
                    row[5] = new(reader.IsDBNull(1) ? "" : reader.GetString(1), ExportCellKind.Number);
                    row[6] = new(item?.Unit ?? "");
                    row[7] = new(reader.GetInt32(2) == 1 ? "1" : "0", ExportCellKind.Number);
                    row[8] = new(string.Join(' ', IndicatorFlagNames.Of((IndicatorFlags)reader.GetInt32(3))));
                    row[9] = new(reader.GetInt32(4) == 1 ? "final" : "open");
                    row[10] = new(reader.GetInt32(5).ToString(CultureInfo.InvariantCulture), ExportCellKind.Number);
                    await sheet.RowAsync(row, cancel);
                    rows++;
                }
            }
        }

        return rows;
    }

    /// <summary>The flags by their packet names (docs/packet-format.md), space-separated.</summary>
    private static string Flags(int flags) =>
        string.Join(' ', Enumerable.Range(0, 5).Where(bit => (flags & (1 << bit)) != 0).Select(Core.Packet.PacketNames.Flag));

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Beijing(string utc) =>
        DateTime.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            ? (time + BeijingCalendar.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : utc;
}
