using EdgeMeter.LoadTest.Support;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>How much load the ingest test offers.</summary>
public sealed record IngestLoadOptions
{
    public int Gateways { get; init; } = 20;

    public int PacketsPerGateway { get; init; } = 1500;

    /// <summary>Unacknowledged publishes per gateway.</summary>
    public int Window { get; init; } = 8;

    public int Runs { get; init; } = 3;

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The steady rate at which latency is also measured (below every target's capacity, unlike the saturating runs).</summary>
    public int SteadyPacketsPerSecond { get; init; } = 3000;

    public TimeSpan SteadyDuration { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Issue 9, part 1: N gateways publish signed ~1 KB packets at QoS 1; each target gets the same load, runs
/// interleaved (target A run 1, target B run 1, A run 2 ...) so that both see the same machine. A target's
/// baseline (the same broker, nothing done with the packets) gives the ratio.
/// </summary>
public static class IngestTest
{
    public static ResultTable CreateTable(IngestLoadOptions options) => new(
        "ingest",
        $"Ingest: N gateways publishing signed ~1 KB packets at QoS 1, window {options.Window} per gateway (issue 9, part 1)",
        "target", "baseline", "gateways", "runs", "packets per run", "packet bytes", "packets/s (median)", "ratio to baseline", "p50 ms", "p99 ms",
        "machine CPU us per packet", "machine busy %",
        $"p50 ms at {options.SteadyPacketsPerSecond:N0}/s", $"p99 ms at {options.SteadyPacketsPerSecond:N0}/s");

    /// <summary>
    /// Runs every (target, baseline) pair; <paramref name="pairs"/> name the baseline of each target (null for a
    /// baseline itself). Adds one row per target to <paramref name="table"/>.
    /// </summary>
    public static async Task RunAsync(IngestLoadOptions options, IReadOnlyList<(IIngestTarget Target, IIngestTarget? Baseline)> pairs, ResultTable table, TextWriter log)
    {
        var targets = pairs.Select(p => p.Target).ToList();
        var results = targets.ToDictionary(t => t, _ => new List<(double Rate, double P50, double P99, double CpuMicroseconds, double Busy)>());
        long nextSequence = 1;
        var warmUp = options with { PacketsPerGateway = Math.Min(100, options.PacketsPerGateway) };
        foreach (var target in targets)
        {
            await RunOnceAsync(warmUp, target, nextSequence, log);
            nextSequence += warmUp.PacketsPerGateway;
        }

        var steady = targets.ToDictionary(t => t, _ => new List<(double P50, double P99)>());
        var steadyPerGateway = Math.Max(1, (int)(options.SteadyPacketsPerSecond * options.SteadyDuration.TotalSeconds / options.Gateways));
        var packetBytes = 0;
        var stalled = new List<string>();
        for (var run = 0; run < options.Runs; run++)
        {
            foreach (var target in targets)
            {
                var cpuBefore = MachineCpu.Sample();
                DeliveryClock clock;
                int bytes;
                try
                {
                    (clock, bytes) = await RunOnceAsync(options, target, nextSequence, log);
                }
                catch (TimeoutException stall)
                {
                    // Reported, not hidden: the figures are the medians of the runs that completed.
                    stalled.Add($"{target.Name}, run {run + 1}: {stall.Message}");
                    continue;
                }
                finally
                {
                    nextSequence += options.PacketsPerGateway;
                }

                var (busySeconds, busy) = MachineCpu.Between(cpuBefore, MachineCpu.Sample());
                packetBytes = bytes;
                var result = (clock.PacketsPerSecond, clock.LatencyPercentileMilliseconds(50), clock.LatencyPercentileMilliseconds(99), busySeconds * 1e6 / clock.Expected, busy * 100);
                results[target].Add(result);
                log.WriteLine($"ingest: {target.Name}, run {run + 1}: {result.PacketsPerSecond:F0} packets/s, p50 {result.Item2:F1} ms, p99 {result.Item3:F1} ms, "
                    + $"machine CPU {result.Item4:F0} us per packet, busy {result.Item5:F0}%");
            }

            foreach (var target in targets)
            {
                DeliveryClock clock;
                try
                {
                    clock = await RunSteadyAsync(options, target, steadyPerGateway, nextSequence);
                }
                catch (TimeoutException stall)
                {
                    stalled.Add($"{target.Name}, run {run + 1} at {options.SteadyPacketsPerSecond} packets/s: {stall.Message}");
                    continue;
                }
                finally
                {
                    nextSequence += steadyPerGateway;
                }

                steady[target].Add((clock.LatencyPercentileMilliseconds(50), clock.LatencyPercentileMilliseconds(99)));
                log.WriteLine($"ingest: {target.Name}, run {run + 1} at {options.SteadyPacketsPerSecond} packets/s: p50 {steady[target][^1].P50:F1} ms, p99 {steady[target][^1].P99:F1} ms");
            }
        }

        foreach (var stall in stalled)
        {
            table.Notes.Add($"Stalled and left out of the medians: {stall}.");
        }

        foreach (var (target, baseline) in pairs)
        {
            var rate = Stats.Median(results[target].Select(r => r.Rate));
            var ratio = baseline == null ? double.NaN : rate / Stats.Median(results[baseline].Select(r => r.Rate));
            table.Add(
                target.Name, baseline?.Name ?? "(baseline)", options.Gateways, results[target].Count, options.Gateways * options.PacketsPerGateway, packetBytes, rate, ratio,
                Stats.Median(results[target].Select(r => r.P50)), Stats.Median(results[target].Select(r => r.P99)),
                Stats.Median(results[target].Select(r => r.CpuMicroseconds)), Stats.Median(results[target].Select(r => r.Busy)),
                Stats.Median(steady[target].Select(r => r.P50)), Stats.Median(steady[target].Select(r => r.P99)));
        }
    }

    private static async Task<DeliveryClock> RunSteadyAsync(IngestLoadOptions options, IIngestTarget target, int perGateway, long firstSequence)
    {
        var packets = new SignedPackets(options.Gateways, perGateway, firstSequence);
        var clock = new DeliveryClock(packets);
        await target.AttachAsync(clock);
        try
        {
            await PacedFleet.PublishAsync(target.Port, packets, options.SteadyPacketsPerSecond, target.Credentials, target.TopicPrefix, clock);
            await clock.Complete.WaitAsync(options.RunTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"only {clock.Arrived} of {clock.Expected} packets arrived within {options.RunTimeout.TotalSeconds} s"
                + (target.Diagnosis is { } diagnosis ? $"; {diagnosis}" : ""));
        }
        finally
        {
            await target.DetachAsync();
        }

        return clock;
    }

    private static async Task<(DeliveryClock Clock, int PacketBytes)> RunOnceAsync(IngestLoadOptions options, IIngestTarget target, long firstSequence, TextWriter log)
    {
        var packets = new SignedPackets(options.Gateways, options.PacketsPerGateway, firstSequence);
        var clock = new DeliveryClock(packets);
        var writer = (target as ReceiverTarget)?.WriterWork;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await target.AttachAsync(clock);
        try
        {
            using var cancel = new CancellationTokenSource(options.RunTimeout);
            await GatewayFleet.PublishAsync("127.0.0.1", target.Port, packets, clock, options.Window, target.TopicPrefix, target.Credentials, cancel.Token);
            await clock.Complete.WaitAsync(options.RunTimeout);
        }
        catch (TimeoutException)
        {
            var why = $"only {clock.Arrived} of {clock.Expected} packets arrived within {options.RunTimeout.TotalSeconds} s"
                + (target.Diagnosis is { } diagnosis ? $"; {diagnosis}" : "");
            log.WriteLine($"ingest: {target.Name}: {why}");
            throw new TimeoutException(why);
        }
        finally
        {
            await target.DetachAsync();
        }

        if (writer is { } before && target is ReceiverTarget receiver)
        {
            var (commits, seconds) = receiver.WriterWork;
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            log.WriteLine($"ingest: {target.Name}: {commits - before.Commits} group commits, {(double)packets.Count / Math.Max(1, commits - before.Commits):F0} packets each on average, "
                + $"writer busy {100 * (seconds - before.Seconds) / elapsed:F0}% of the run");
        }

        return (clock, packets.PacketBytes);
    }
}
