using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.History;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `export --config C --from D --to D [--what readings|indicators] [--gateway G] [--meter M] [--item CODE] [--out F]`:
/// `[--format csv|xlsx]`: history in Beijing time, read from the database without stopping the receiver (a read-only connection on SQLite).
/// </summary>
internal static class ExportVerb
{
    public static Command Create(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var from = new Option<string>("--from") { Description = "First Beijing day, yyyy-MM-dd.", Required = true };
        var to = new Option<string>("--to") { Description = "Last Beijing day, yyyy-MM-dd (included).", Required = true };
        var what = new Option<string>("--what") { Description = "readings (raw, as the gateways signed them) or indicators.", DefaultValueFactory = _ => ExportRequest.Readings };
        var gateway = new Option<string?>("--gateway") { Description = "Only this gateway (readings)." };
        var meter = new Option<string?>("--meter") { Description = "Only this meter (readings)." };
        var item = new Option<string?>("--item") { Description = "Only this data item: its data code, or ENTERPRISE/CODE (indicators)." };
        var format = new Option<string>("--format") { Description = "csv or xlsx (xlsx needs --out).", DefaultValueFactory = _ => ExportFormats.Csv };
        var file = new Option<string?>("--out") { Description = "File to write (default: standard output)." };
        var command = new Command("export", "Export raw readings or indicator values as CSV or xlsx, in Beijing time.") { config, from, to, what, gateway, meter, item, format, file };
        command.SetAction(async (parse, cancel) =>
        {
            var chosen = parse.GetValue(format)!;
            if (!ExportFormats.IsKnown(chosen))
            {
                throw new CliException($"--format '{chosen}' is not csv or xlsx", ExitCodes.Usage);
            }

            if (chosen == ExportFormats.Xlsx && parse.GetValue(file) is null)
            {
                throw new CliException("--format xlsx writes a workbook: give it a file with --out", ExitCodes.Usage);
            }

            var options = ConfigLoader.Load(parse.GetValue(config)!);
            var items = ItemCatalogue.From(options);
            var itemKey = parse.GetValue(item) is { } code ? (items.Find(code) ?? items.Find(null, code))?.Key ?? throw new CliException($"--item {code}: no configured item", ExitCodes.Usage) : null;
            var request = new ExportRequest(parse.GetValue(what)!, Day(parse.GetValue(from)!, "--from"), Day(parse.GetValue(to)!, "--to"), parse.GetValue(gateway), parse.GetValue(meter), itemKey);
            if (request.Problem() is { } problem)
            {
                throw new CliException(problem.StartsWith('\'') ? $"--what {problem}" : problem, ExitCodes.Usage);
            }

            if (options.Store.Database == StoreKind.Sqlite && !File.Exists(options.Store.Path))
            {
                throw new CliException($"no database at {options.Store.Path} (Store.Path)", ExitCodes.Failure);
            }

            using var db = PacketStore.OpenQueryConnection(options.Store);
            long rows;
            if (parse.GetValue(file) is { } path)
            {
                await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
                await using var sheet = ExportFormats.Open(chosen, target);
                rows = await HistoryExport.WriteAsync(db, items, request, sheet, cancel);
                output.WriteLine($"{rows} {request.What} rows in {path}");
            }
            else
            {
                await using var sheet = new CsvSheet(output);
                rows = await HistoryExport.WriteAsync(db, items, request, sheet, cancel);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateOnly Day(string text, string option) =>
        ExportRequest.TryDay(text, out var day) ? day : throw new CliException($"{option} '{text}' is not a day like 2026-05-20 (2000-2099)", ExitCodes.Usage);
}
