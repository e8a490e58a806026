using System.Globalization;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>Journeys that bind the documented fixed ports (1883, 4001, 8480): never in parallel with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FixedPortsCollection
{
    public const string Name = "documented fixed ports";
}

/// <summary>
/// The bench journey run literally from the docs: README's "Bench tools" and "The gateway on a PC" and the quick
/// start of docs/receiver.md, each command as printed. The only change: `dotnet run --project X --` becomes the built
/// program (`dotnet X.dll`), so the test does not build again. A command that no longer works, or that the docs lose,
/// fails here.
/// </summary>
[Collection(FixedPortsCollection.Name)]
public sealed class BenchJourneyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-bench-journey-").FullName;
    private readonly List<ChildProcess> _running = [];

    public void Dispose()
    {
        foreach (var process in _running)
        {
            process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Provision_import_run_the_receiver_the_meters_and_the_gateway_as_documented_and_readings_arrive()
    {
        CopyDirectory(Repo.PathOf("examples"), Path.Combine(_directory, "examples"));
        var receiverStart = DocCommands.Of("docs/receiver.md", "## Quick start");
        var bench = DocCommands.Of("README.md", "### Bench tools: simulated meters, read, scan");
        var gateway = DocCommands.Of("README.md", "### The gateway on a PC");

        Run(receiverStart.Find("cp examples/receiver/receiver.json receiver.json"));
        Run(gateway.Find(" provision "));
        Run(gateway.Find(" gateways import "));
        Run(receiverStart.Find(" check-config "));
        var receiver = Start(receiverStart.Find(" run --config "));
        await receiver.WaitForPortAsync(1883, "the receiver's broker");
        var meters = Start(bench.Find(" sim --listen "));
        await meters.WaitForPortAsync(4001, "the simulated meters");
        Assert.Contains("modbus:1", Run(bench.Find(" scan ")), StringComparison.Ordinal);
        foreach (var read in bench.Where(c => c.Contains(" read ", StringComparison.Ordinal)))
        {
            Run(read);
        }

        Start(gateway.Find(" gateway --config "));

        // The meters are read at the next whole minute and published within the upload interval.
        using var http = new HttpClient();
        await Eventually.Until(() => Stored(http) >= 6, "six readings of the bench gateway stored by the receiver", timeoutSeconds: 150);
        var traced = File.ReadAllLines(Path.Combine(_directory, "gw-data", "trace.txt"));
        Assert.True(traced.Length >= 6, string.Join('\n', traced));
        Assert.Contains(traced, line => line.Contains(" m-2007 energy ", StringComparison.Ordinal));
        Assert.Contains(traced, line => line.Contains(" m-modbus voltage-a ", StringComparison.Ordinal));
    }

    /// <summary>Runs a command to its end in the journey's directory; it must succeed. Returns its output.</summary>
    private string Run(string command)
    {
        using var process = Shell(command);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"{command}: still running after 60 s: {process.Output}");
        Assert.True(process.Process.ExitCode == 0, $"{command}: exit {process.Process.ExitCode}: {process.Output}");
        return process.Output;
    }

    /// <summary>Starts a command that runs until stopped (the docs background it with &amp;, or it runs in its own terminal).</summary>
    private ChildProcess Start(string command)
    {
        var process = Shell(command.TrimEnd('&', ' '));
        _running.Add(process);
        return process;
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
        var info = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = _directory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + line);
        return ChildProcess.Start(info);
    }

    private static double Stored(HttpClient http)
    {
        try
        {
            var metrics = http.GetStringAsync("http://127.0.0.1:8480/metrics").GetAwaiter().GetResult();
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("edgemeter_readings_stored_total ", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
