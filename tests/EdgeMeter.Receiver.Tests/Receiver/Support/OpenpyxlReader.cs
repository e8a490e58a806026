using System.Text.Json.Nodes;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>
/// An xlsx file as openpyxl (Debian python3-openpyxl), an implementation nobody here wrote, reads it: each sheet's name
/// and rows, numbers as numbers and dates as "yyyy-MM-dd HH:mm:ss" text prefixed "date:".
/// </summary>
internal static class OpenpyxlReader
{
    private const string Script = """
        import json, sys, datetime, openpyxl
        book = openpyxl.load_workbook(sys.argv[1], read_only=True)
        def cell(v):
            if isinstance(v, datetime.datetime): return "date:" + v.strftime("%Y-%m-%d %H:%M:%S")
            return v
        sheets = [{"name": s.title, "rows": [[cell(v) for v in row] for row in s.iter_rows(values_only=True)]} for s in book.worksheets]
        json.dump(sheets, open(sys.argv[2], "w"), ensure_ascii=False)
        """;

    public static IReadOnlyList<(string Name, JsonArray Rows)> Read(string xlsx)
    {
        var python = Peers.RequirePythonModule("openpyxl", "python3-openpyxl");
        var script = xlsx + ".py";
        var json = xlsx + ".json";
        File.WriteAllText(script, Script);
        var (exit, output) = Peers.Run(python, $"\"{script}\" \"{xlsx}\" \"{json}\"", TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"openpyxl could not read {xlsx}: {output}");
        return [.. JsonNode.Parse(File.ReadAllText(json))!.AsArray().Select(sheet => (sheet!["name"]!.GetValue<string>(), sheet["rows"]!.AsArray()))];
    }
}
