using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeMeter.Common.Keys;
using EdgeMeter.LoadTest.Support;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Issue 20, part 1: ingest the way a deployment runs it. The receiver is its own process (<c>edgemeter-receiver run</c>)
/// pinned to core 0; the do-nothing consumer it is compared with is a process pinned to core 0 too (a subscriber on
/// Mosquitto, an MQTTnet broker that only counts for the embedded mode); the load tool (publishers) and Mosquitto run
/// on core 1. Target and baseline alternate run by run with the same packets; a run ends when the consumer has the
/// last packet (the receiver: when its database holds it, polled every 10 ms).
/// </summary>
public static class PinnedIngestTest
{
    public const int ConsumerCore = 0;
    public const int LoadCore = 1;
    private const string Marker = "EDGEMETER_PINNED";

    /// <summary>Runs the whole command again pinned to <see cref="LoadCore"/> unless it already is; null when it did.</summary>
    public static int? PinSelf(string[] args, TextWriter output)
    {
        if (Environment.GetEnvironmentVariable(Marker) == "1")
        {
            return null;
        }

        if (Environment.ProcessorCount < 2 || Which("taskset") is null)
        {
            output.WriteLine("pinned: needs 2 cores and taskset (util-linux)");
            return 2;
        }

        var start = new ProcessStartInfo("taskset") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", LoadCore.ToString(CultureInfo.InvariantCulture), "dotnet", typeof(PinnedIngestTest).Assembly.Location }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[Marker] = "1";
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <param name="packetsPerRun">30,000 for the figures; a smoke run sends a few hundred to prove the tool works.</param>
    public static async Task<ResultTable> RunAsync(int[] fleets, int runs, TextWriter log, int packetsPerRun = 30_000)
    {
        var mosquitto = MosquittoBroker.Find() ?? throw new InvalidOperationException("pinned: mosquitto is not installed (bash .ci/install-peers)");
        var table = new ResultTable(
            "pinned-ingest",
            "Receiver ingest on its own core: receiver and do-nothing consumer each pinned to core 0, publishers and Mosquitto to core 1 (issue 20, part 1)",
            "target", "baseline", "gateways", "runs", "packets per run", "packets/s (median)", "ratio to baseline", "target ratio", "");
        foreach (var gateways in fleets)
        {
            var perGateway = Math.Max(1, packetsPerRun / gateways);
            using var broker = MosquittoBroker.Start(mosquitto);
            await using var subscriber = await ConsumerProcess.StartAsync("null-subscriber", broker.Port, "load/v1");
            await using var external = await ReceiverProcess.StartAsync("Mosquitto -> receiver (external ingest)", gateways, broker.Port, log);
            await using var plainBroker = await ConsumerProcess.StartAsync("null-broker", EdgeMeter.TestSupport.FreePort.Next(), "edgemeter/v1");
            await using var embedded = await ReceiverProcess.StartAsync("receiver (embedded broker)", gateways, null, log);
            (IPinnedTarget Target, IPinnedTarget Baseline, double Goal)[] pairs =
            [
                (external, subscriber, gateways <= 20 ? 0.9 : 0.8),
                (embedded, plainBroker, gateways <= 20 ? 0.8 : 0.7),
            ];
            var rates = pairs.SelectMany(p => new[] { p.Target, p.Baseline }).ToDictionary(t => t, _ => new List<double>());
            long sequence = 1;
            foreach (var target in rates.Keys)
            {
                await RunOnceAsync(target, new SignedPackets(gateways, Math.Min(50, perGateway), sequence), log); // warm-up
            }

            sequence += 50;
            for (var run = 0; run < runs; run++)
            {
                foreach (var target in rates.Keys)
                {
                    var rate = await RunOnceAsync(target, new SignedPackets(gateways, perGateway, sequence), log);
                    if (rate is { } value)
                    {
                        rates[target].Add(value);
                        log.WriteLine($"pinned: {target.Name}, {gateways} gateways, run {run + 1}: {value:F0} packets/s");
                    }
                    else
                    {
                        table.Notes.Add($"Stalled and left out of the medians: {target.Name}, {gateways} gateways, run {run + 1}.");
                    }
                }

                sequence += perGateway;
            }

            foreach (var (target, baseline, goal) in pairs)
            {
                foreach (var consumer in new[] { baseline, target })
                {
                    var rate = Stats.Median(rates[consumer]);
                    var ratio = consumer == target ? rate / Stats.Median(rates[baseline]) : double.NaN;
                    table.Add(consumer.Name, consumer == target ? baseline.Name : "(baseline)", gateways, rates[consumer].Count, gateways * perGateway, rate, ratio,
                        consumer == target ? goal : double.NaN, consumer == target ? (ratio >= goal ? "met" : "not met") : "");
                }
            }
        }

        table.Notes.Add("synchronous=FULL and PUBACK after commit as always. The receiver's time ends at the 10 ms poll of its database that sees the last packet, the baselines' at the last message itself.");
        return table;
    }

    // Packets per second from the first publish to the last packet consumed; null when it did not finish in time.
    private static async Task<double?> RunOnceAsync(IPinnedTarget target, SignedPackets packets, TextWriter log)
    {
        await target.ArmAsync(packets.Count);
        var started = Stopwatch.GetTimestamp();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await GatewayFleet.PublishAsync("127.0.0.1", target.Port, packets, new DeliveryClock(packets), 8, target.TopicPrefix, target.Credentials, cancel.Token);
            var done = await target.DoneAsync(cancel.Token);
            return packets.Count / Stopwatch.GetElapsedTime(started, done).TotalSeconds;
        }
        catch (OperationCanceledException)
        {
            log.WriteLine($"pinned: {target.Name} did not take {packets.Count} packets within 120 s: {await target.DiagnoseAsync()}");
            return null;
        }
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static Process StartPinned(string program, IEnumerable<string> arguments, bool stdin)
    {
        var start = new ProcessStartInfo("taskset")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin,
        };
        foreach (var argument in new[] { "-c", ConsumerCore.ToString(CultureInfo.InvariantCulture), "dotnet", program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(Marker);
        return Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
    }

    private static Channel<string> Lines(Process process)
    {
        var lines = Channel.CreateUnbounded<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Writer.TryWrite(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Writer.TryWrite(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lines;
    }

    private static async Task<string> WaitForLineAsync(Channel<string> lines, string prefix, string what, CancellationToken cancel = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await lines.Reader.ReadAsync(timeout.Token);
            if (line.Contains(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    private static TimeSpan CpuTimeOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    internal interface IPinnedTarget : IAsyncDisposable
    {
        string Name { get; }

        int Port { get; }

        string TopicPrefix { get; }

        Func<string, (string? User, string? Password)>? Credentials { get; }

        Task ArmAsync(int expected);

        /// <summary>The monotonic timestamp at which the last expected packet was consumed.</summary>
        Task<long> DoneAsync(CancellationToken cancel);

        /// <summary>How far it got, for a run that did not finish.</summary>
        Task<string> DiagnoseAsync();

        /// <summary>The CPU time its process has used so far.</summary>
        TimeSpan CpuTime { get; }
    }

    internal sealed class ConsumerProcess(string name, Process process, Channel<string> lines, int port, string prefix) : IPinnedTarget
    {
        public string Name { get; } = name;

        public int Port { get; } = port;

        public string TopicPrefix { get; } = prefix;

        public Func<string, (string? User, string? Password)>? Credentials => null;

        public TimeSpan CpuTime => CpuTimeOf(process);

        public static async Task<ConsumerProcess> StartAsync(string mode, int port, string prefix)
        {
            var process = StartPinned(typeof(PinnedConsumer).Assembly.Location, ["consume", mode, "--port", port.ToString(CultureInfo.InvariantCulture), "--prefix", prefix], stdin: true);
            var lines = Lines(process);
            await WaitForLineAsync(lines, "ready", mode + " to start");
            var name = mode == "null-broker" ? "MQTTnet broker, do-nothing" : "Mosquitto -> do-nothing subscriber";
            return new ConsumerProcess(name, process, lines, port, prefix);
        }

        public async Task ArmAsync(int expected)
        {
            await process.StandardInput.WriteLineAsync($"expect {expected}");
            await process.StandardInput.FlushAsync();
            await WaitForLineAsync(lines, "armed", Name + " to arm");
        }

        public async Task<long> DoneAsync(CancellationToken cancel)
        {
            var line = await WaitForLineAsync(lines, "done ", Name + " to finish", cancel);
            return long.Parse(line[(line.IndexOf("done ", StringComparison.Ordinal) + 5)..], CultureInfo.InvariantCulture);
        }

        public async Task<string> DiagnoseAsync()
        {
            await process.StandardInput.WriteLineAsync("status");
            await process.StandardInput.FlushAsync();
            try
            {
                return await WaitForLineAsync(lines, "count ", Name + " to report");
            }
            catch (OperationCanceledException)
            {
                return "no answer" + (process.HasExited ? $" (exited with {process.ExitCode})" : "");
            }
        }

        public async ValueTask DisposeAsync() => await StopAsync(process);
    }

    internal sealed class ReceiverProcess(string name, Process process, string directory, int port, int adminPort, SqliteConnection database) : IPinnedTarget
    {
        private long _doneAt;

        public string Name { get; } = name;

        public int Port { get; } = port;

        public string TopicPrefix => "edgemeter/v1";

        public string DatabasePath => Path.Combine(directory, "receiver.db");

        /// <summary>The admin listener on loopback: <c>/metrics</c>.</summary>
        public int AdminPort => adminPort;

        public Func<string, (string? User, string? Password)>? Credentials => id => (id, ReceiverTarget.GatewayPassword);

        public TimeSpan CpuTime => CpuTimeOf(process);

        public static async Task<ReceiverProcess> StartAsync(string name, int gateways, int? externalPort, TextWriter log)
        {
            var directory = Directory.CreateTempSubdirectory("edgemeter-pinned-receiver-").FullName;
            var ids = Enumerable.Range(1, gateways).Select(SignedPackets.GatewayId).ToList();
            KeyFile.Write(Path.Combine(directory, "keys.json"), ids.Select(id => new KeyEntry(id, 1, SignedPackets.KeyOf(id))));
            var port = externalPort ?? EdgeMeter.TestSupport.FreePort.Next();
            var adminPort = EdgeMeter.TestSupport.FreePort.Next();
            var ingest = externalPort is { } external
                ? new JsonObject { ["Mode"] = "External", ["External"] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = external, ["ClientId"] = "svc.receiver-pinned" } }
                : new JsonObject { ["Mode"] = "Embedded", ["Embedded"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = port } };
            var config = new JsonObject
            {
                ["Store"] = new JsonObject { ["Path"] = Path.Combine(directory, "receiver.db") },
                ["Keys"] = new JsonObject { ["File"] = Path.Combine(directory, "keys.json") },
                ["Ingest"] = ingest,
                ["Enterprises"] = new JsonArray(new JsonObject { ["Code"] = ReceiverTarget.EnterpriseCode, ["Name"] = "Load test", ["Platforms"] = new JsonArray() }),
                ["Gateways"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["Id"] = id, ["Enterprise"] = ReceiverTarget.EnterpriseCode, ["Password"] = ReceiverTarget.GatewayPassword })]),
                ["Admin"] = new JsonObject { ["Urls"] = $"http://127.0.0.1:{adminPort}", ["AuditLog"] = Path.Combine(directory, "audit.log") },
                ["Logging"] = new JsonObject { ["Level"] = "Information" },
            };
            var configPath = Path.Combine(directory, "receiver.json");
            await File.WriteAllTextAsync(configPath, config.ToJsonString());
            var receiverDll = Path.Combine(AppContext.BaseDirectory, "edgemeter-receiver.dll");
            var process = StartPinned(receiverDll, ["run", "--config", configPath], stdin: false);
            var lines = Lines(process);
            if (externalPort is null)
            {
                await WaitForPortAsync(port);
            }
            else
            {
                await WaitForLineAsync(lines, "connected to broker", name + " to subscribe");
            }

            _ = Task.Run(async () =>
            {
                await foreach (var line in lines.Reader.ReadAllAsync())
                {
                    if (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("error", StringComparison.OrdinalIgnoreCase))
                    {
                        log.WriteLine($"pinned: {name}: {line}");
                    }
                }
            });
            var database = new SqliteConnection($"Data Source={Path.Combine(directory, "receiver.db")};Mode=ReadOnly;Pooling=false");
            database.Open();
            return new ReceiverProcess(name, process, directory, port, adminPort, database);
        }

        public Task ArmAsync(int expected)
        {
            _doneAt = MaxPacketId() + expected;
            return Task.CompletedTask;
        }

        public async Task<long> DoneAsync(CancellationToken cancel)
        {
            while (MaxPacketId() < _doneAt)
            {
                await Task.Delay(10, cancel);
            }

            return Stopwatch.GetTimestamp();
        }

        public Task<string> DiagnoseAsync() =>
            Task.FromResult($"{_doneAt - MaxPacketId()} packets short" + (process.HasExited ? $"; exited with {process.ExitCode}" : ""));

        public async ValueTask DisposeAsync()
        {
            database.Dispose();
            await StopAsync(process);
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        private long MaxPacketId()
        {
            using var command = database.CreateCommand();
            command.CommandText = "SELECT IFNULL(MAX(id), 0) FROM packets";
            return (long)command.ExecuteScalar()!;
        }

        private static async Task WaitForPortAsync(int port)
        {
            for (var i = 0; i < 600; i++)
            {
                try
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    return;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    await Task.Delay(100);
                }
            }

            throw new TimeoutException($"nothing listens on {port}");
        }
    }
}
