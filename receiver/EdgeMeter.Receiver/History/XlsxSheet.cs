using System.Globalization;
using SpreadCheetah;

namespace EdgeMeter.Receiver.History;

/// <summary>
/// An Excel workbook written forward-only by SpreadCheetah (a small buffer, never the whole sheet): the title in the
/// first row, the column names, then the rows with numbers as numbers and times as dates. A sheet holds at most
/// 1,048,576 rows, so a larger export continues on a new sheet that repeats the title and the columns.
/// </summary>
public sealed class XlsxSheet(Stream output) : IExportSheet
{
    public const int RowsPerSheet = 1_048_576;

    private Spreadsheet? _book;
    private string _title = "";
    private IReadOnlyList<string> _columns = [];
    private int _rowsOnSheet;
    private int _sheets;
    private Cell[] _row = [];

    /// <summary>Rows per sheet, title and column names included (a test makes it small).</summary>
    public int SheetRows { get; init; } = RowsPerSheet;

    public async ValueTask TitleAsync(string title, IReadOnlyList<string> columns, CancellationToken cancel)
    {
        _book = await Spreadsheet.CreateNewAsync(output, cancellationToken: cancel); // times show as yyyy-MM-dd HH:mm:ss
        (_title, _columns) = (Clean(title), columns);
        _row = new Cell[columns.Count];
        await StartSheetAsync(cancel);
    }

    public async ValueTask RowAsync(ExportCell[] cells, CancellationToken cancel)
    {
        if (_rowsOnSheet >= SheetRows)
        {
            await StartSheetAsync(cancel);
        }

        for (var i = 0; i < cells.Length; i++)
        {
            _row[i] = Typed(cells[i]);
        }

        await _book!.AddRowAsync(_row, cancel);
        _rowsOnSheet++;
    }

    public async ValueTask FinishAsync(CancellationToken cancel) => await _book!.FinishAsync(cancel);

    public ValueTask DisposeAsync() => _book?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async ValueTask StartSheetAsync(CancellationToken cancel)
    {
        _sheets++;
        await _book!.StartWorksheetAsync(_sheets == 1 ? "export" : $"export {_sheets}", token: cancel);
        await _book.AddRowAsync([new Cell(_title)], cancel);
        await _book.AddRowAsync([.. _columns.Select(name => new Cell(name))], cancel);
        _rowsOnSheet = 2;
    }

    private static Cell Typed(ExportCell cell) => cell.Kind switch
    {
        _ when cell.Text.Length == 0 => default, // an empty cell, not an empty text
        ExportCellKind.Number when decimal.TryParse(cell.Text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => new Cell(number),
        ExportCellKind.Time when DateTime.TryParseExact(cell.Text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) => new Cell(time),
        _ => new Cell(Clean(cell.Text)),
    };

    /// <summary>Text without the control characters XML 1.0 cannot carry (ids and names come from outside).</summary>
    private static string Clean(string text) =>
        text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) ? string.Concat(text.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r')) : text;
}
