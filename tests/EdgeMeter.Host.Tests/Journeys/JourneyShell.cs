using System.Globalization;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>
/// Runs documented commands as a reader would, in a scratch directory holding a copy of examples/. The only change:
/// `dotnet run --project X --` becomes the built program (`dotnet X.dll`), so a journey does not build again.
/// </summary>
internal sealed class JourneyShell : IDisposable
{
    private readonly List<ChildProcess> _running = [];

    public JourneyShell()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgemeter-journey-").FullName;
        foreach (var file in System.IO.Directory.GetFiles(Repo.PathOf("examples"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, "examples", Path.GetRelativePath(Repo.PathOf("examples"), file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Directory { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Runs a command to its end; it must succeed. Returns its output.</summary>
    public string Run(string command)
    {
        using var process = Shell(command);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{command}: still running after 60 s: {process.Output}");
        Assert.True(process.Process.ExitCode == 0, $"{command}: exit {process.Process.ExitCode}: {process.Output}");
        return process.Output;
    }

    /// <summary>Starts a command that runs until stopped (the docs background it with &amp;, or give it a terminal).</summary>
    public ChildProcess Start(string command)
    {
        var process = Shell(command.TrimEnd('&', ' '));
        _running.Add(process);
        return process;
    }

    /// <summary>Readings the receiver has stored (its metrics on the admin address), 0 while it does not answer.</summary>
    public static double Stored(HttpClient http, string admin = "http://127.0.0.1:8480")
    {
        try
        {
            var metrics = http.GetStringAsync($"{admin}/metrics").GetAwaiter().GetResult();
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("edgemeter_readings_stored_total ", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        foreach (var process in _running)
        {
            process.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private ChildProcess Shell(string command)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "edgemeter.dll");
        var receiver = Path.Combine(AppContext.BaseDirectory, "edgemeter-receiver.dll");
        var line = command
            .Replace("dotnet run --project firmware/EdgeMeter.Host --", $"dotnet '{host}'", StringComparison.Ordinal)
            .Replace("$R ", $"dotnet '{receiver}' ", StringComparison.Ordinal)
            .Replace("dotnet run --project receiver/EdgeMeter.Receiver --", $"dotnet '{receiver}'", StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", line, StringComparison.Ordinal);
        var info = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = Directory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + line);
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        return ChildProcess.Start(info);
    }
}
