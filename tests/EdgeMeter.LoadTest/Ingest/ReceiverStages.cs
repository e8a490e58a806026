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
