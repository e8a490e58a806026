using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeMeter.TestSupport;

/// <summary>
/// One table of figures, printed as Markdown and written to the JSON summary under <see cref="Name"/>. Cells are text
/// formatted for people; <see cref="Values"/> keeps the same figures as numbers for tools.
/// </summary>
public sealed class ResultTable(string name, string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<Dictionary<string, double>> _values = [];

    public string Name { get; } = name;

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<string[]> Rows => _rows;

    public List<string> Notes { get; } = [];

    /// <summary>Per row, the numeric figures by column name.</summary>
    public IReadOnlyList<Dictionary<string, double>> Values => _values;

    /// <summary>Adds a row; numbers are formatted with <see cref="Format"/> and kept as numbers too.</summary>
    public void Add(params object[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"{Name}: {cells.Length} cells for {Columns.Count} columns");
        }

        var values = new Dictionary<string, double>();
        var text = new string[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            text[i] = cells[i] switch
            {
                double d => Format(d),
                float f => Format(f),
                long l => l.ToString("N0", CultureInfo.InvariantCulture),
                int n => n.ToString("N0", CultureInfo.InvariantCulture),
                _ => Convert.ToString(cells[i], CultureInfo.InvariantCulture) ?? "",
            };
            if (cells[i] is double or float or long or int && double.IsFinite(Convert.ToDouble(cells[i], CultureInfo.InvariantCulture)))
            {
                values[Columns[i]] = Convert.ToDouble(cells[i], CultureInfo.InvariantCulture);
            }
        }

        _rows.Add(text);
        _values.Add(values);
    }

    /// <summary>About three significant digits, thousands separated: 0.0123, 1.23, 12.3, 123, 12,300.</summary>
    public static string Format(double value)
    {
        var magnitude = Math.Abs(value);
        return double.IsNaN(value) || double.IsInfinity(value) ? "-"
            : magnitude >= 1000 ? RoundToThreeDigits(value)
            : magnitude >= 100 || magnitude == 0 ? value.ToString("N0", CultureInfo.InvariantCulture)
            : magnitude >= 10 ? value.ToString("N1", CultureInfo.InvariantCulture)
            : magnitude >= 1 ? value.ToString("N2", CultureInfo.InvariantCulture)
            : value.ToString("G3", CultureInfo.InvariantCulture);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {Title}");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Concat(Columns.Select(_ => "---|")));
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        foreach (var note in Notes)
        {
            text.AppendLine();
            text.AppendLine(note);
        }

        return text.ToString();
    }

    public JsonObject ToJson()
    {
        var rows = new JsonArray();
        for (var i = 0; i < _rows.Count; i++)
        {
            var row = new JsonObject();
            for (var c = 0; c < Columns.Count; c++)
            {
                row[Columns[c]] = _values[i].TryGetValue(Columns[c], out var number) ? JsonValue.Create(number) : JsonValue.Create(_rows[i][c]);
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["name"] = Name,
            ["title"] = Title,
            ["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["rows"] = rows,
            ["notes"] = new JsonArray([.. Notes.Select(n => (JsonNode?)JsonValue.Create(n))]),
        };
    }

    /// <summary>Writes <c>NAME.md</c> and <c>NAME.json</c> with every table, plus the machine they ran on.</summary>
    public static void WriteSummary(string directory, string name, string heading, IReadOnlyList<ResultTable> tables, JsonObject? extra = null)
    {
        Directory.CreateDirectory(directory);
        var machine = MachineInfo.Describe();
        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"## {heading}");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"{machine.Summary}");
        markdown.AppendLine();
        foreach (var table in tables)
        {
            markdown.AppendLine(table.ToMarkdown());
        }

        File.WriteAllText(Path.Combine(directory, name + ".md"), markdown.ToString());
        var json = new JsonObject
        {
            ["summary"] = name,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["machine"] = machine.ToJson(),
            ["tables"] = new JsonArray([.. tables.Select(t => (JsonNode?)t.ToJson())]),
        };
        if (extra != null)
        {
            foreach (var (key, value) in extra)
            {
                json[key] = value?.DeepClone();
            }
        }

        File.WriteAllText(Path.Combine(directory, name + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string RoundToThreeDigits(double value)
    {
        var digits = (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        var scale = Math.Pow(10, digits - 3);
        return (Math.Round(value / scale) * scale).ToString("N0", CultureInfo.InvariantCulture);
    }
}

/// <summary>The machine a run was made on, read from /proc where there is one.</summary>
public sealed record MachineInfo(int Cores, string Cpu, long MemoryBytes, string Os, string Runtime)
{
    public string Summary =>
        $"Machine: {Cores} cores, {Cpu}, {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB RAM; {Os}; {Runtime}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";

    public static MachineInfo Describe()
    {
        var cpu = ReadProc("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memory = ReadProc("/proc/meminfo", "MemTotal");
        long bytes = 0;
        if (memory != null && long.TryParse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var kib))
        {
            bytes = kib * 1024;
        }

        return new MachineInfo(Environment.ProcessorCount, cpu, bytes, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    public JsonObject ToJson() => new()
    {
        ["cores"] = Cores,
        ["cpu"] = Cpu,
        ["memoryBytes"] = MemoryBytes,
        ["os"] = Os,
        ["runtime"] = Runtime,
    };

    private static string? ReadProc(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == key)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
