using System.Globalization;
using System.Text;

namespace EdgeMeter.Receiver.History;

/// <summary>
/// RFC 4180 CSV in UTF-8: the title as a '#' line, then the column names and the rows. A text that a spreadsheet
/// would take for a formula (= + - @ first, not a number) gets a leading apostrophe, since ids, units and names come
/// from outside.
/// </summary>
public sealed class CsvSheet : IExportSheet
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    /// <summary>CSV on a writer the caller owns (standard output).</summary>
    public CsvSheet(TextWriter writer) => _writer = writer;

    /// <summary>CSV in UTF-8 (no byte order mark) on a stream the sheet leaves open.</summary>
    public CsvSheet(Stream output)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        _ownsWriter = true;
    }

    public async ValueTask TitleAsync(string title, IReadOnlyList<string> columns, CancellationToken cancel)
    {
        await _writer.WriteAsync($"# {title}\r\n".AsMemory(), cancel);
        await _writer.WriteAsync((string.Join(',', columns) + "\r\n").AsMemory(), cancel);
    }

    public ValueTask RowAsync(ExportCell[] cells, CancellationToken cancel) =>
        new(_writer.WriteAsync(string.Join(',', cells.Select(cell => Cell(cell.Text))) + "\r\n"));

    public async ValueTask FinishAsync(CancellationToken cancel) => await _writer.FlushAsync(cancel);

    public ValueTask DisposeAsync() => _ownsWriter ? _writer.DisposeAsync() : ValueTask.CompletedTask;

    private static string Cell(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
