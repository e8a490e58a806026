using System.Globalization;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.History;

/// <summary>What to export: Beijing days From to To (both included), optionally one gateway, meter or item.</summary>
public sealed record ExportRequest(string What, DateOnly From, DateOnly To, string? Gateway, string? Meter, string? Item)
{
    public const string Readings = "readings";
    public const string Indicators = "indicators";

    /// <summary>A Beijing day yyyy-MM-dd from 2000 to 2099 (anything else is a typo, and near the ends of the calendar time arithmetic fails).</summary>
    public static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= 2000 and <= 2099;

    public string? Problem() =>
        What is not (Readings or Indicators) ? $"'{What}' is not readings or indicators"
        : To < From ? "--to is before --from"
        : From.Year is < 2000 or > 2099 || To.Year is < 2000 or > 2099 ? "days from 2000-01-01 to 2099-12-31"
        : To.DayNumber - From.DayNumber > 400 ? "at most 400 days at a time"
        : new[] { Gateway, Meter, Item }.Any(v => v is not null && v.Any(char.IsControl)) ? "gateway, meter and item cannot hold control characters"
        : null;

    public DateTime FromUtc => IndicatorQueries.Beijing(From.ToDateTime(TimeOnly.MinValue));

    public DateTime ToUtc => IndicatorQueries.Beijing(To.AddDays(1).ToDateTime(TimeOnly.MinValue));
}

/// <summary>
/// Raw readings or indicator values as CSV (RFC 4180, UTF-8), times in Beijing time, each row as the store holds it:
/// a first line says what the file is, then the column names. Rows are written as they are read, so a six-month
/// export holds one row in memory at a time.
/// </summary>
public static class CsvExport
{
    public static long Write(SqliteConnection db, ItemCatalogue items, ExportRequest request, TextWriter output)
    {
        output.Write($"# EdgeMeter {request.What}, Beijing days {request.From:yyyy-MM-dd} to {request.To:yyyy-MM-dd}");
        output.Write(string.Concat(new[] { ("gateway", request.Gateway), ("meter", request.Meter), ("item", request.Item) }.Where(f => f.Item2 is not null).Select(f => $", {f.Item1} {f.Item2}")));
        output.Write("\r\n");
        return request.What == ExportRequest.Readings ? Readings(db, request, output) : IndicatorValues(db, items, request, output);
    }

    private static long Readings(SqliteConnection db, ExportRequest request, TextWriter output)
    {
        output.Write("gateway,n,meter,point,time_beijing,value,unit,flags\r\n");
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT gw, n, meter, point, t, val, unit, flags FROM readings
            WHERE t >= $from AND t < $to AND ($gw IS NULL OR gw = $gw) AND ($meter IS NULL OR meter = $meter)
            ORDER BY gw, meter, point, t
            """;
        command.Parameters.AddWithValue("$from", Iso(request.FromUtc));
        command.Parameters.AddWithValue("$to", Iso(request.ToUtc));
        command.Parameters.AddWithValue("$gw", (object?)request.Gateway ?? DBNull.Value);
        command.Parameters.AddWithValue("$meter", (object?)request.Meter ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            Row(output, reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture), reader.GetString(2), reader.GetString(3),
                Beijing(reader.GetString(4)), reader.GetString(5), reader.GetString(6), Flags(reader.GetInt32(7)));
            rows++;
        }

        return rows;
    }

    private static long IndicatorValues(SqliteConnection db, ItemCatalogue items, ExportRequest request, TextWriter output)
    {
        output.Write("enterprise,data_code,name,stat_type,start_beijing,value,unit,valid,flags,final,revision\r\n");
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT item, stat_type, start_t, value, valid, flags, final, revision FROM indicators
            WHERE start_t >= $from AND start_t < $to AND ($item IS NULL OR item = $item) ORDER BY item, stat_type, start_t
            """;
        command.Parameters.AddWithValue("$from", SampleReader.ToMs(request.FromUtc));
        command.Parameters.AddWithValue("$to", SampleReader.ToMs(request.ToUtc));
        command.Parameters.AddWithValue("$item", (object?)request.Item ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            var item = items.Find(reader.GetString(0));
            var key = reader.GetString(0).Split('/');
            Row(output, key[0], key[^1], item?.Name ?? "", ((StatType)reader.GetInt32(1)).ToString(),
                PlatformTime.Format(PlatformTime.FromUtc(SampleReader.FromMs(reader.GetInt64(2)))), reader.IsDBNull(3) ? "" : reader.GetString(3),
                item?.Unit ?? "", reader.GetInt32(4) == 1 ? "1" : "0", string.Join(' ', IndicatorFlagNames.Of((IndicatorFlags)reader.GetInt32(5))),
                reader.GetInt32(6) == 1 ? "final" : "open", reader.GetInt32(7).ToString(CultureInfo.InvariantCulture));
            rows++;
        }

        return rows;
    }

    private static void Row(TextWriter output, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            output.Write(Cell(cells[i]));
        }

        output.Write("\r\n");
    }

    /// <summary>
    /// One CSV cell: quoted when it holds a quote, comma or line break; a text that a spreadsheet would take for a
    /// formula (= + - @ first, not a number) gets a leading apostrophe, since ids, units and names come from outside.
    /// </summary>
    private static string Cell(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
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
