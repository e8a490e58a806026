using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.LoadTest.History;

/// <summary>
/// What `edgemeter-receiver export` needs to write months of a site's readings: a database of G gateways x 16 meter
/// points read every 15 minutes for D days, exported by the real CLI as CSV and as xlsx, once for the whole period and
/// once for a tenth of it. The export's peak resident memory (VmHWM) stays the same whatever the number of rows.
/// </summary>
public static class ExportMemoryTest
{
    private const int SeriesPerGateway = 16;
    private const int ReadingsPerDay = 96;

    public static async Task<ResultTable> RunAsync(int gateways, int days, TextWriter log)
    {
        var table = new ResultTable(
            "export-memory", $"Export of {days} days of {gateways} gateways x {SeriesPerGateway} points at 15 minutes (issue 18)",
            "format", "days exported", "rows", "file MB", "seconds", "peak resident MB");
        var directory = Directory.CreateTempSubdirectory("edgemeter-load-export-").FullName;
        try
        {
            var database = Path.Combine(directory, "receiver.db");
            var first = new DateOnly(2026, 1, 1);
            var started = Stopwatch.GetTimestamp();
            Fill(database, gateways, first, days);
            log.WriteLine($"export: {gateways} gateways x {SeriesPerGateway} points x {days} days stored in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            var config = Config(directory, database);
            foreach (var span in new[] { Math.Max(1, days / 10), days })
            {
                foreach (var format in new[] { "csv", "xlsx" })
                {
                    var file = Path.Combine(directory, $"export.{format}");
                    var (seconds, peak, output) = await RunExportAsync(config, first, first.AddDays(span - 1), format, file);
                    var rows = long.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture);
                    table.Add(format, span, rows, new FileInfo(file).Length / 1e6, seconds, peak / 1e6);
                    log.WriteLine($"export: {format}, {span} days, {rows:N0} rows in {seconds:F0} s, peak resident {peak / 1e6:F0} MB");
                    File.Delete(file);
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        table.Notes.Add("Peak resident memory is the export process's VmHWM (runtime, SQLite page cache and the writers' buffers): the same for a tenth of the rows and for all of them, since rows are written as they are read.");
        return table;
    }

    /// <summary>The receiver's own schema, then the readings inserted directly (one transaction per day: this is a fixture, not ingest).</summary>
    private static void Fill(string database, int gateways, DateOnly first, int days)
    {
        PacketStore.Open(database).Dispose();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        db.Open();
        using (var pragma = db.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF";
            pragma.ExecuteNonQuery();
        }

        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO readings(gw, n, packet_id, meter, point, t, val, unit, flags) VALUES ($gw, $n, 0, $meter, $point, $t, $val, 'kWh', 0)";
        var parameters = new[] { "$gw", "$n", "$meter", "$point", "$t", "$val" }.Select(name => insert.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        var numbers = new long[gateways];
        for (var day = 0; day < days; day++)
        {
            using var transaction = db.BeginTransaction();
            insert.Transaction = transaction;
            var start = first.AddDays(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
            for (var slot = 0; slot < ReadingsPerDay; slot++)
            {
                var t = start.AddMinutes(15 * slot).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                for (var g = 0; g < gateways; g++)
                {
                    for (var s = 0; s < SeriesPerGateway; s++)
                    {
                        parameters[0].Value = $"gw-{g + 1:D4}";
                        parameters[1].Value = ++numbers[g];
                        parameters[2].Value = $"0000123456{s / 4:D2}";
                        parameters[3].Value = $"000{s % 4}0000";
                        parameters[4].Value = t;
                        parameters[5].Value = (1000 + (numbers[g] * 0.25m)).ToString(CultureInfo.InvariantCulture);
                        insert.ExecuteNonQuery();
                    }
                }
            }

            transaction.Commit();
        }
    }

    private static string Config(string directory, string database)
    {
        var example = Path.Combine(RepoRoot(), "examples", "receiver", "receiver.json");
        var config = JsonNode.Parse(File.ReadAllText(example))!.AsObject();
        config["Store"] = new JsonObject { ["Path"] = database };
        var path = Path.Combine(directory, "receiver.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>Runs the CLI and samples its peak resident set (VmHWM) until it exits.</summary>
    private static async Task<(double Seconds, long PeakBytes, string Output)> RunExportAsync(string config, DateOnly from, DateOnly to, string format, string file)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "edgemeter-receiver.dll"), "export", "--config", config,
            "--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--format", format, "--out", file,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakResident(process.Id));
            await Task.Delay(50);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"export failed ({process.ExitCode}): {await error}");
        }

        return (seconds, peak, await output);
    }

    private static long PeakResident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0; // exited between the check and the read
        }
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeMeter.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
