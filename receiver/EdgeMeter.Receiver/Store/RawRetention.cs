using System.Data.Common;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Indicators;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Store;

/// <summary>What one pruning pass deleted, and the old packets it kept because something still needs them.</summary>
public readonly record struct PruneResult(long Packets, long Readings, long Kept);

/// <summary>
/// Deletes raw history, packets received more than Store.Retention.RawDays ago and their readings, in small batches
/// through the store's writer so that ingest's commits go on in between. It never deletes a packet an MQTT tier has
/// not delivered, one with a dead letter waiting for an operator, readings the indicators have not read yet, or a
/// gateway's latest status. Indicators and their samples are kept: they are what the platforms judge, for years.
/// </summary>
internal sealed class RawRetention : IAsyncDisposable
{
    private readonly PacketStore _store;
    private readonly RetentionOptions _options;
    private readonly IReadOnlyList<PacketTier> _tiers;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly WakeableLoop _loop;
    private long _prunedPackets;
    private long _prunedReadings;

    /// <param name="tiers">The tiers that relay raw packets (MQTT), each with the gateways it serves.</param>
    public RawRetention(PacketStore store, RetentionOptions options, IReadOnlyList<PacketTier> tiers, TimeProvider time, ILogger log)
    {
        (_store, _options, _tiers, _time, _log) = (store, options, tiers, time, log);
        _loop = new WakeableLoop(PassAsync, time, log, store.Lease);
    }

    public long PrunedPackets => Interlocked.Read(ref _prunedPackets);

    public long PrunedReadings => Interlocked.Read(ref _prunedReadings);

    public void Start() => _loop.Start();

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    /// <summary>Deletes everything older than the retention period that nothing holds, batch by batch.</summary>
    public async Task<PruneResult> PruneAsync(CancellationToken cancel = default)
    {
        var cutoff = Sql.Time(_time.GetUtcNow().UtcDateTime.AddDays(-_options.RawDays));
        var holds = _store.Read(db => RetentionHolds.Load(db, _tiers));
        var total = new PruneResult(0, 0, 0);
        long after = 0;
        while (!cancel.IsCancellationRequested)
        {
            var batch = await _store.PruneAsync((db, raisePruned) => PruneBatch(db, raisePruned, cutoff, after, holds));
            total = new PruneResult(total.Packets + batch.Result.Packets, total.Readings + batch.Result.Readings, total.Kept + batch.Result.Kept);
            Interlocked.Add(ref _prunedPackets, batch.Result.Packets);
            Interlocked.Add(ref _prunedReadings, batch.Result.Readings);
            if (batch.Done)
            {
                break;
            }

            after = batch.After;
        }

        return total;
    }

    private async Task<TimeSpan> PassAsync(CancellationToken cancel)
    {
        if (_options.RawDays > 0)
        {
            var result = await PruneAsync(cancel);
            if (result.Packets > 0 || result.Kept > 0)
            {
                _log.LogInformation(
                    "retention: deleted {Packets} packets and {Readings} readings received over {Days} days ago; kept {Kept} older ones a tier, a dead letter or the indicators still need",
                    result.Packets, result.Readings, _options.RawDays, result.Kept);
            }
        }

        return TimeSpan.FromMinutes(_options.EveryMinutes);
    }

    private (PruneResult Result, long After, bool Done) PruneBatch(DbConnection db, Action<string, long> raisePruned, string cutoff, long after, RetentionHolds holds)
    {
        var candidates = db.Query(
            "SELECT id, gw, seq, kind, received_at FROM packets WHERE id > @after ORDER BY id LIMIT @n",
            r => new OldPacket(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4)), ("@after", after), ("@n", _options.BatchPackets));
        long packets = 0, readings = 0, kept = 0;
        var done = candidates.Count < _options.BatchPackets;
        foreach (var packet in candidates)
        {
            if (string.CompareOrdinal(packet.ReceivedAt, cutoff) >= 0)
            {
                done = true; // ids grow with the time received: the rest is newer
                break;
            }

            after = packet.Id;
            if (holds.Hold(db, packet))
            {
                kept++;
                continue;
            }

            readings += db.Execute("DELETE FROM readings WHERE packet_id = @id", ("@id", packet.Id));
            db.Execute("DELETE FROM packets WHERE id = @id", ("@id", packet.Id));
            db.Execute("UPDATE gateways SET pruned_seq = CASE WHEN pruned_seq > @seq THEN pruned_seq ELSE @seq END WHERE gw = @gw", ("@gw", packet.Gateway), ("@seq", packet.Sequence));
            raisePruned(packet.Gateway, packet.Sequence);
            packets++;
        }

        return (new PruneResult(packets, readings, kept), after, done);
    }
}

/// <summary>A tier that relays raw packets, and the gateways whose packets it relays.</summary>
public sealed record PacketTier(string Name, IReadOnlyList<string> Gateways);

internal sealed record OldPacket(long Id, string Gateway, long Sequence, string Kind, string ReceivedAt);

/// <summary>
/// What keeps an old packet, as of the start of a pass (cursors only move forward, so older figures err on the side
/// of keeping): each gateway's lowest MQTT-tier cursor, the dead letters still open, the indicators' reading cursor.
/// </summary>
internal sealed class RetentionHolds
{
    private readonly Dictionary<string, long> _deliveredUpTo;
    private readonly HashSet<long> _openDeadLetters;
    private readonly long _readByIndicators;
    private readonly Dictionary<string, long> _latestStatus = new(StringComparer.Ordinal);

    private RetentionHolds(Dictionary<string, long> deliveredUpTo, HashSet<long> openDeadLetters, long readByIndicators) =>
        (_deliveredUpTo, _openDeadLetters, _readByIndicators) = (deliveredUpTo, openDeadLetters, readByIndicators);

    public static RetentionHolds Load(DbConnection db, IReadOnlyList<PacketTier> tiers)
    {
        var cursors = db.Query("SELECT tier, gw, last_id FROM relay_cursor", r => (Tier: r.GetString(0), Gateway: r.GetString(1), Id: r.GetInt64(2)))
            .ToDictionary(c => (c.Tier, c.Gateway), c => c.Id);
        var delivered = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tier in tiers)
        {
            foreach (var gateway in tier.Gateways)
            {
                var cursor = cursors.GetValueOrDefault((tier.Name, gateway));
                delivered[gateway] = Math.Min(delivered.GetValueOrDefault(gateway, long.MaxValue), cursor);
            }
        }

        var names = tiers.Select(tier => tier.Name).ToHashSet(StringComparer.Ordinal);
        var open = db.Query("SELECT tier, row_id FROM dead_letters WHERE state IN ('dead', 'resend')", r => (Tier: r.GetString(0), Row: r.GetInt64(1)))
            .Where(letter => names.Contains(letter.Tier)).Select(letter => letter.Row).ToHashSet();
        return new RetentionHolds(delivered, open, cursors.GetValueOrDefault((SeriesFeeder.CursorName, SeriesFeeder.AllGateways)));
    }

    public bool Hold(DbConnection db, OldPacket packet) =>
        (_deliveredUpTo.TryGetValue(packet.Gateway, out var delivered) && packet.Id > delivered)
        || _openDeadLetters.Contains(packet.Id)
        || (packet.Kind == "status" && packet.Id == LatestStatus(db, packet.Gateway))
        || (db.ScalarLong("SELECT MAX(id) FROM readings WHERE packet_id = @id", ("@id", packet.Id)) ?? 0) > _readByIndicators;

    private long LatestStatus(DbConnection db, string gateway)
    {
        if (!_latestStatus.TryGetValue(gateway, out var id))
        {
            id = db.ScalarLong("SELECT id FROM packets WHERE gw = @gw AND kind = 'status' ORDER BY id DESC LIMIT 1", ("@gw", gateway)) ?? 0;
            _latestStatus[gateway] = id;
        }

        return id;
    }
}
