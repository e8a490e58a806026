using EdgeMeter.LoadTest.Support;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Tail latency at a steady load (issue 20, part 2): the receiver with its embedded broker at 3,000 packets/s for a
/// minute, publish to commit, with WAL checkpoints inside the commits (as before) and beside them (the default), for
/// 20 and 200 gateways: p50, p99, p99.9, the checkpoints that fell inside the window, the WAL's largest size and how
/// busy the store's writer was; and first the floor: the same publishers into a do-nothing MQTTnet broker.
/// </summary>
public static class TailLatencyTest
{
    public static async Task<ResultTable> RunAsync(IReadOnlyList<int> fleets, int packetsPerSecond, TimeSpan duration, TextWriter log)
    {
        var table = new ResultTable(
            "tail", $"Publish to commit at {packetsPerSecond:N0} packets/s for {duration.TotalSeconds:0} s (issue 20, part 2)",
            "checkpoints", "gateways", "packets", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "checkpoints in the window", "largest WAL MB", "commits", "packets per commit", "writer busy %");
        foreach (var gateways in fleets)
        {
            await MeasureFloorAsync(table, gateways, packetsPerSecond, duration, log);
            foreach (var inCommit in new[] { true, false })
            {
                await using var target = await ReceiverTarget.StartAsync("tail", gateways, externalPort: null, options => options.Store.CheckpointInCommit = inCommit);
                var walFile = target.Receiver.Store.Path + "-wal";
                long largestWal = 0;
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        largestWal = Math.Max(largestWal, File.Exists(walFile) ? new FileInfo(walFile).Length : 0);
                        await Task.Delay(50, CancellationToken.None);
                    }
                });
                var before = target.Receiver.Store.Checkpoints;
                var (commitsBefore, busyBefore) = (target.Receiver.Store.Commits, target.Receiver.Store.CommitSecondsTotal);
                var packets = new SignedPackets(gateways, Math.Max(1, (int)(packetsPerSecond * duration.TotalSeconds / gateways)), firstSequence: 1);
                var clock = new DeliveryClock(packets);
                await target.AttachAsync(clock);
                try
                {
                    await PacedFleet.PublishAsync(target.Port, packets, packetsPerSecond, target.Credentials, target.TopicPrefix, clock);
                    await clock.Complete.WaitAsync(duration + TimeSpan.FromMinutes(2));
                }
                finally
                {
                    await target.DetachAsync();
                    await sampling.CancelAsync();
                    await sampler;
                }

                var after = target.Receiver.Store.Checkpoints;
                var commits = target.Receiver.Store.Commits - commitsBefore;
                var busy = (target.Receiver.Store.CommitSecondsTotal - busyBefore) / (clock.Arrived / clock.PacketsPerSecond);
                // In-commit checkpoints are SQLite's own, at every 10,000 pages, and cannot be counted from outside.
                var checkpoints = inCommit ? "SQLite's, each 10,000 pages" : $"{after.Background - before.Background} beside, {after.Finishing - before.Finishing} restarting";
                var mode = inCommit ? "inside commits (before)" : "beside commits (default)";
                table.Add(mode, gateways, clock.Arrived, clock.LatencyPercentileMilliseconds(50), clock.LatencyPercentileMilliseconds(99),
                    clock.LatencyPercentileMilliseconds(99.9), clock.LatencyPercentileMilliseconds(100), checkpoints, largestWal / 1e6,
                    commits, (double)clock.Arrived / Math.Max(1, commits), 100 * busy);
                log.WriteLine($"tail: {mode}, {gateways} gateways: p99 {clock.LatencyPercentileMilliseconds(99):F1} ms, p99.9 {clock.LatencyPercentileMilliseconds(99.9):F1} ms, WAL up to {largestWal / 1e6:F0} MB, writer busy {100 * busy:F0} %");
            }
        }

        table.Notes.Add("The floor: the same publishers at the same pace into a do-nothing MQTTnet broker in the same process, publish to the broker's receipt: what the machine's two shared cores cost before anything is stored.");
        table.Notes.Add("Writer busy: the store writer's time from BEGIN to the end of COMMIT (with its fsync) over the run's time; a packet that arrives while it is busy waits for the next commit.");
        table.Notes.Add("The WAL file keeps its largest size between restarts (journal_size_limit cuts it back past 64 MB), so its sampled size is the most the WAL held.");
        return table;
    }

    private static async Task MeasureFloorAsync(ResultTable table, int gateways, int packetsPerSecond, TimeSpan duration, TextWriter log)
    {
        await using var floor = await PlainMqttnetBrokerTarget.StartAsync();
        var packets = new SignedPackets(gateways, Math.Max(1, (int)(packetsPerSecond * duration.TotalSeconds / gateways)), firstSequence: 1);
        var clock = new DeliveryClock(packets);
        await floor.AttachAsync(clock);
        await PacedFleet.PublishAsync(floor.Port, packets, packetsPerSecond, floor.Credentials, floor.TopicPrefix, clock);
        await clock.Complete.WaitAsync(duration + TimeSpan.FromMinutes(2));
        await floor.DetachAsync();
        table.Add("none: do-nothing MQTTnet broker (the floor)", gateways, clock.Arrived, clock.LatencyPercentileMilliseconds(50), clock.LatencyPercentileMilliseconds(99),
            clock.LatencyPercentileMilliseconds(99.9), clock.LatencyPercentileMilliseconds(100), "-", 0.0, 0, 0.0, 0.0);
        log.WriteLine($"tail: the floor, {gateways} gateways: p99 {clock.LatencyPercentileMilliseconds(99):F1} ms, p99.9 {clock.LatencyPercentileMilliseconds(99.9):F1} ms");
    }
}
