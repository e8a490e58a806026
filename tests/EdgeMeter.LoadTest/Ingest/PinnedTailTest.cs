using System.Globalization;
using EdgeMeter.LoadTest.Support;
using static EdgeMeter.LoadTest.Ingest.PinnedIngestTest;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Issue 20, part 2, the way a deployment runs: the receiver (<c>edgemeter-receiver run</c>, embedded broker) as its own
/// process pinned to core 0, the paced publishers on core 1, 3,000 packets/s for a minute. Latency is publish to PUBACK,
/// which the embedded broker sends only after the commit that stored the packet (so it is publish to commit plus the
/// PUBACK's way back). The floor: the same publishers into a do-nothing MQTTnet broker pinned the same way. The
/// receiver's commits, writer time and checkpoints come from its /metrics, the WAL's largest size from sampling the file.
/// </summary>
public static class PinnedTailTest
{
    /// <summary>Tiered compilation on a busy core takes about this long to reach optimized code.</summary>
    public const int WarmUpSeconds = 15;

    public static async Task<ResultTable> RunAsync(int[] fleets, int packetsPerSecond, TimeSpan duration, int warmUpSeconds, TextWriter log)
    {
        var table = new ResultTable(
            "pinned-tail", $"Publish to commit at {packetsPerSecond:N0} packets/s for {duration.TotalSeconds:0} s, the receiver pinned to core 0 and the publishers to core 1 (issue 20, part 2)",
            "target", "gateways", "packets", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "checkpoints in the window", "largest WAL MB", "commits", "packets per commit", "writer busy %", "process CPU us per packet", "core busy %", "p99 <= 5, p99.9 <= 20 ms");
        foreach (var gateways in fleets)
        {
            var perGateway = Math.Max(1, (int)(packetsPerSecond * duration.TotalSeconds / gateways));
            var warmUp = Math.Max(1, packetsPerSecond * warmUpSeconds / gateways);
            await using (var floor = await ConsumerProcess.StartAsync("null-broker", EdgeMeter.TestSupport.FreePort.Next(), "edgemeter/v1"))
            {
                await PaceAsync(floor, new SignedPackets(gateways, warmUp, 1), packetsPerSecond);
                var cpu = floor.CpuTime;
                var clock = await PaceAsync(floor, new SignedPackets(gateways, perGateway, 1 + warmUp), packetsPerSecond);
                Add(table, "none: do-nothing MQTTnet broker (the floor)", gateways, clock, "-", 0, 0, double.NaN, floor.CpuTime - cpu);
                log.WriteLine($"pinned-tail: the floor, {gateways} gateways: p99 {clock.LatencyPercentileMilliseconds(99):F1} ms");
            }

            await using var receiver = await ReceiverProcess.StartAsync("receiver (embedded broker)", gateways, null, log);
            await PaceAsync(receiver, new SignedPackets(gateways, warmUp, 1), packetsPerSecond);
            var before = await ReceiverMetrics.ReadAsync(receiver.AdminPort);
            using var wal = new FileSizeSampler(receiver.DatabasePath + "-wal");
            var receiverCpu = receiver.CpuTime;
            var measured = await PaceAsync(receiver, new SignedPackets(gateways, perGateway, 1 + warmUp), packetsPerSecond);
            var largestWal = await wal.StopAsync();
            var after = await ReceiverMetrics.ReadAsync(receiver.AdminPort);
            var commits = after.Commits - before.Commits;
            var seconds = measured.Arrived / measured.PacketsPerSecond;
            Add(table, "receiver (embedded broker)", gateways, measured,
                $"{after.BackgroundCheckpoints - before.BackgroundCheckpoints} beside, {after.RestartCheckpoints - before.RestartCheckpoints} restarting",
                largestWal / 1e6, commits, 100 * (after.CommitSeconds - before.CommitSeconds) / seconds, receiver.CpuTime - receiverCpu);
            log.WriteLine($"pinned-tail: receiver, {gateways} gateways: p99 {measured.LatencyPercentileMilliseconds(99):F1} ms, p99.9 {measured.LatencyPercentileMilliseconds(99.9):F1} ms");
        }

        table.Notes.Add("Publish to PUBACK, taken on core 1 when the acknowledgement's task completes: for the receiver that is after the commit that stored the packet (synchronous=FULL), so a little more than publish to commit.");
        table.Notes.Add($"Target: p99 <= 5 ms and p99.9 <= 20 ms. The first {warmUpSeconds} s of each target (warm-up: tiered compilation on a busy core takes that long to reach optimized code) are not counted.");
        return table;
    }

    private static async Task<DeliveryClock> PaceAsync(IPinnedTarget target, SignedPackets packets, int packetsPerSecond)
    {
        var acknowledged = new DeliveryClock(packets);
        await PacedFleet.PublishAsync(target.Port, packets, packetsPerSecond, target.Credentials, target.TopicPrefix, acknowledged: acknowledged);
        return acknowledged;
    }

    private static void Add(ResultTable table, string target, int gateways, DeliveryClock clock, string checkpoints, double walMegabytes, long commits, double writerBusy, TimeSpan cpu)
    {
        var seconds = clock.Arrived / clock.PacketsPerSecond;
        var (p99, p999) = (clock.LatencyPercentileMilliseconds(99), clock.LatencyPercentileMilliseconds(99.9));
        table.Add(target, gateways, clock.Arrived, clock.LatencyPercentileMilliseconds(50), p99, p999, clock.LatencyPercentileMilliseconds(100),
            checkpoints, walMegabytes, commits, commits == 0 ? double.NaN : (double)clock.Arrived / commits, writerBusy,
            cpu.TotalMicroseconds / clock.Arrived, 100 * cpu.TotalSeconds / seconds,
            double.IsNaN(writerBusy) ? "" : p99 <= 5 && p999 <= 20 ? "met" : "not met");
    }

    /// <summary>The store's counters from a receiver's /metrics.</summary>
    private sealed record ReceiverMetrics(long Commits, double CommitSeconds, long BackgroundCheckpoints, long RestartCheckpoints)
    {
        public static async Task<ReceiverMetrics> ReadAsync(int adminPort)
        {
            using var http = new HttpClient();
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{adminPort}/metrics"));
            double Value(string name) => text.Split('\n').Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
                .Select(line => double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture)).Single();
            return new ReceiverMetrics((long)Value("edgemeter_store_commits_total"), Value("edgemeter_store_commit_seconds_total"),
                (long)Value("edgemeter_store_checkpoints_total{kind=\"background\"}"), (long)Value("edgemeter_store_checkpoints_total{kind=\"restart\"}"));
        }
    }

    /// <summary>The largest size a file reached, sampled every 50 ms.</summary>
    private sealed class FileSizeSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _sampling;

        public FileSizeSampler(string path)
        {
            _sampling = Task.Run(async () =>
            {
                long largest = 0;
                while (!_stop.IsCancellationRequested)
                {
                    largest = Math.Max(largest, File.Exists(path) ? new FileInfo(path).Length : 0);
                    await Task.Delay(50, CancellationToken.None);
                }

                return largest;
            });
        }

        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            return await _sampling;
        }

        public void Dispose() => _stop.Dispose();
    }
}
