namespace EdgeMeter.Receiver.History;

/// <summary>How a cell is written where the format has types: text, an exact decimal number, or a Beijing time (yyyy-MM-dd HH:mm:ss).</summary>
public enum ExportCellKind
{
    Text,
    Number,
    Time,
}

public readonly record struct ExportCell(string Text, ExportCellKind Kind = ExportCellKind.Text);

/// <summary>Where an export's rows go, one at a time: a title line, the column names, then the rows.</summary>
public interface IExportSheet : IAsyncDisposable
{
    ValueTask TitleAsync(string title, IReadOnlyList<string> columns, CancellationToken cancel);

    ValueTask RowAsync(ExportCell[] cells, CancellationToken cancel);

    ValueTask FinishAsync(CancellationToken cancel);
}

public static class ExportFormats
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    public static bool IsKnown(string? format) => format is Csv or Xlsx;

    public static string ContentType(string format) =>
        format == Xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";

    /// <summary>A sheet writing to <paramref name="output"/>, which the sheet leaves open.</summary>
    public static IExportSheet Open(string format, Stream output) => format == Xlsx ? new XlsxSheet(output) : new CsvSheet(output);
}
