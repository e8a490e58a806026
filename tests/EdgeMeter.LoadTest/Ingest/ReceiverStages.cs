using System.Diagnostics;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Where the receiver's ingest time goes, without MQTT: the same packets verified by its intake on one thread, and
/// stored by its <see cref="PacketStore"/> (group commit, synchronous=FULL) with up to 256 writes outstanding, as
/// the external ingest's receive maximum allows. The store's rate is the ceiling of either ingest mode. Once per
/// fleet size: how many gateways share a group commit decides how many index pages it dirties.
/// </summary>
public static class ReceiverStages
{
    public static async Task<ResultTable> RunAsync(IReadOnlyList<int> fleets, int packetsPerRun, TextWriter log)
    {
        var table = new ResultTable(
            "ingest-stages",
            "Receiver ingest stages without MQTT (issue 9, part 1: where the time goes)",
            "stage", "gateways", "packets", "packets/s", "us per packet");
        foreach (var gateways in fleets)
        {
            await RunAsync(table, gateways, Math.Max(1, packetsPerRun / gateways), log);
        }

        return table;
    }

    private static async Task RunAsync(ResultTable table, int gateways, int packetsPerGateway, TextWriter log)
    {
        var packets = new SignedPackets(gateways, packetsPerGateway, firstSequence: 1);
        var topics = new MqttTopics();
        var intake = new PacketIntake(new DerivedKeys(), topics, PacketLimits.DefaultMaxPacketBytes);
        var now = DateTime.UtcNow;
        var topicOf = packets.Gateways.Select(topics.Up).ToArray();

        // Timed on its own, keeping nothing: a receiver's verified packets die young; keeping 30,000 of them
        // here would time the garbage collector's promotions instead.
        VerifyAll(intake, packets, topicOf, now, packetsPerGateway, keep: null); // warm-up: the steady state, not the JIT's
        var started = Stopwatch.GetTimestamp();
        VerifyAll(intake, packets, topicOf, now, packetsPerGateway, keep: null);
        Add(table, "verify (PacketIntake, one thread)", gateways, packets.Count, Stopwatch.GetElapsedTime(started));

        var verified = new List<(IngestedPacket Packet, string Topic)>(packets.Count);
        VerifyAll(intake, packets, topicOf, now, packetsPerGateway, verified);

        var directory = Directory.CreateTempSubdirectory("edgemeter-load-store-").FullName;
        try
        {
            using var store = PacketStore.Open(Path.Combine(directory, "receiver.db"));
            var slots = new SemaphoreSlim(256);
            var pending = new List<Task>(verified.Count);
            started = Stopwatch.GetTimestamp();
            foreach (var (packet, topic) in verified)
            {
                await slots.WaitAsync();
                pending.Add(store.StoreAsync(packet, packet.GatewayId, topic).ContinueWith(_ => slots.Release(), TaskScheduler.Default));
            }

            await Task.WhenAll(pending);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Add(table, $"store (PacketStore, {store.Commits} group commits)", gateways, verified.Count, elapsed);
            log.WriteLine($"ingest stages, {gateways} gateways: store {verified.Count / elapsed.TotalSeconds:F0} packets/s, writer busy {100 * store.CommitSecondsTotal / elapsed.TotalSeconds:F0}%");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        await StoreWhilePruningAsync(table, gateways, verified, prune: false, log);
        await StoreWhilePruningAsync(table, gateways, verified, prune: true, log);
    }

    /// <summary>
    /// Half the packets stored 200 days ago, the other half stored now, timed, with raw retention deleting the old half
    /// meanwhile (or not, for the comparison on the same database size): what pruning costs ingest.
    /// </summary>
    private static async Task StoreWhilePruningAsync(ResultTable table, int gateways, List<(IngestedPacket Packet, string Topic)> verified, bool prune, TextWriter log)
    {
        var directory = Directory.CreateTempSubdirectory("edgemeter-load-prune-").FullName;
        try
        {
            var clock = new SettableTime(DateTimeOffset.UtcNow.AddDays(-200));
            using var store = PacketStore.Open(Path.Combine(directory, "receiver.db"), time: clock);
            var half = verified.Count / 2;
            await StoreAllAsync(store, verified.Take(half));
            clock.Now = DateTimeOffset.UtcNow;
            await store.WriteAsync(db => db.Execute(
                "INSERT INTO relay_cursor(tier, gw, last_id) VALUES ($tier, $all, $id)",
                ("$tier", EdgeMeter.Receiver.Indicators.SeriesFeeder.CursorName), ("$all", EdgeMeter.Receiver.Indicators.SeriesFeeder.AllGateways), ("$id", long.MaxValue)));
            var retention = new RawRetention(store, new EdgeMeter.Receiver.Config.RetentionOptions(), [], clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

            var started = Stopwatch.GetTimestamp();
            var pruning = prune ? retention.PruneAsync() : Task.FromResult(default(PruneResult));
            await StoreAllAsync(store, verified.Skip(half));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var pruned = await pruning;
            var stage = prune ? $"store while pruning ({pruned.Packets:N0} old packets deleted meanwhile)" : "store, same database, no pruning";
            Add(table, stage, gateways, verified.Count - half, elapsed);
            log.WriteLine($"ingest stages, {gateways} gateways: {stage}: {(verified.Count - half) / elapsed.TotalSeconds:F0} packets/s");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task StoreAllAsync(PacketStore store, IEnumerable<(IngestedPacket Packet, string Topic)> packets)
    {
        var slots = new SemaphoreSlim(256);
        var pending = new List<Task>();
        foreach (var (packet, topic) in packets)
        {
            await slots.WaitAsync();
            pending.Add(store.StoreAsync(packet, packet.GatewayId, topic).ContinueWith(_ => slots.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static void VerifyAll(PacketIntake intake, SignedPackets packets, string[] topicOf, DateTime now, int perGateway, List<(IngestedPacket, string)>? keep)
    {
        for (var i = 0; i < perGateway; i++)
        {
            for (var g = 0; g < topicOf.Length; g++)
            {
                var result = intake.Verify(topicOf[g], packets.Packets[g][i], now);
                var packet = result.Packet ?? throw new InvalidOperationException($"{topicOf[g]}: {result.Error} {result.Reason}");
                keep?.Add((packet, topicOf[g]));
            }
        }
    }

    private static void Add(ResultTable table, string stage, int gateways, int count, TimeSpan elapsed) =>
        table.Add(stage, gateways, count, count / elapsed.TotalSeconds, elapsed.TotalMilliseconds * 1000 / count);

    private sealed class DerivedKeys : IPacketKeyStore
    {
        private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

        public byte[]? FindKey(string gatewayId, int keyVersion)
        {
            if (keyVersion != 1)
            {
                return null;
            }

            if (!_keys.TryGetValue(gatewayId, out var key))
            {
                _keys[gatewayId] = key = SignedPackets.KeyOf(gatewayId);
            }

            return key;
        }
    }
}
