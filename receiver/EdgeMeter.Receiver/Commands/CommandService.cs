using System.Data.Common;
using System.Text;
using System.Text.Json;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Commands;

/// <summary>
/// Commands down to gateways: queued by the admin API (operators and platforms' pushed messages alike), signed
/// with the gateway's newest key under the receiver's per-gateway command counter, delivered on the gateway's
/// down topic when it can take them, and answered by the gateway's signed reply (recorded by the ingest).
/// The counter is max(last + 1, Unix time in ms), persisted with the command, so it keeps growing even if the
/// database is replaced: the gateway accepts only numbers above the last it executed.
/// </summary>
public sealed class CommandService : IAsyncDisposable
{
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromHours(24);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly PacketStore _store;
    private readonly ReceiverKeyStore _keys;
    private readonly MqttTopics _topics;
    private readonly IGatewayLink _link;
    private readonly ReceiverMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly bool _sessionsSurviveRestart;
    private readonly WakeableLoop _loop;

    /// <param name="sessionsSurviveRestart">
    /// False for the embedded broker (its sessions live in memory): commands sent before a restart and not answered
    /// are sent again. True for an external broker, which keeps them in the gateway's persistent session.
    /// </param>
    public CommandService(
        PacketStore store, ReceiverKeyStore keys, MqttTopics topics, IGatewayLink link, ReceiverMetrics metrics, TimeProvider time,
        ILogger log, bool sessionsSurviveRestart)
    {
        _store = store;
        _keys = keys;
        _topics = topics;
        _link = link;
        _metrics = metrics;
        _time = time;
        _log = log;
        _sessionsSurviveRestart = sessionsSurviveRestart;
        _loop = new WakeableLoop(PassAsync, lease: store.Lease);
        _link.GatewayReady += _ => Wake();
    }

    public void Start()
    {
        if (!_sessionsSurviveRestart)
        {
            var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
            _store.WriteAsync(db => db.Execute(
                "UPDATE commands SET state = 'queued' WHERE state = 'sent' AND replied_at IS NULL AND expires_at > @now", ("@now", now))).GetAwaiter().GetResult();
        }

        _loop.Start();
    }

    public void Wake() => _loop.Wake();

    /// <summary>Signs and queues a command. Throws <see cref="CommandRequestException"/> when the request is wrong.</summary>
    public async Task<CommandRecord> QueueAsync(string gatewayId, string name, IReadOnlyDictionary<string, string> args, TimeSpan timeToLive, string requestedBy)
    {
        var command = Validate(gatewayId, name, args, timeToLive, out var keyVersion, out var key);
        var now = TruncateToSeconds(_time.GetUtcNow().UtcDateTime);
        command.ExpiresUtc = TruncateToSeconds(now + timeToLive);
        var argsJson = JsonSerializer.Serialize(args);
        var id = await _store.WriteAsync(db =>
        {
            var last = db.ScalarLong("SELECT last_seq FROM command_seq WHERE gw = @gw", ("@gw", gatewayId)) ?? 0;
            var seq = Math.Max(last + 1, new DateTimeOffset(now).ToUnixTimeMilliseconds());
            db.Execute("INSERT INTO command_seq(gw, last_seq) VALUES (@gw, @seq) ON CONFLICT(gw) DO UPDATE SET last_seq = @seq", ("@gw", gatewayId), ("@seq", seq));
            var signer = new PacketSigner(gatewayId, keyVersion, key, new DotNetPacketMac(), PacketLimits.MaxDownPacketBytes);
            if (!signer.SignCommand(seq, now, command))
            {
                throw new CommandRequestException($"args: the command does not fit in a down packet of {PacketLimits.MaxDownPacketBytes} bytes (JSON escapes and base64url included; docs/packet-format.md)");
            }

            return db.ScalarLong(
                """
                INSERT INTO commands(gw, seq, name, args, requested_by, created_at, expires_at, packet, state)
                VALUES (@gw, @seq, @name, @args, @by, @created, @expires, @packet, 'queued') RETURNING id
                """,
                ("@gw", gatewayId), ("@seq", seq), ("@name", name), ("@args", argsJson), ("@by", requestedBy), ("@created", Sql.Time(now)),
                ("@expires", Sql.Time(command.ExpiresUtc)), ("@packet", signer.PacketString()))!.Value;
        });

        _metrics.CommandQueued();
        _log.LogInformation("command {Id} {Name} for {Gateway} queued by {Actor}", id, name, gatewayId, requestedBy);
        Wake();
        return Get(gatewayId, id)!;
    }

    public CommandRecord? Get(string gatewayId, long id) =>
        _store.Read(db => db.Query(SelectSql + " WHERE gw = @gw AND id = @id", ReadRecord, ("@gw", gatewayId), ("@id", id))).FirstOrDefault();

    public IReadOnlyList<CommandRecord> List(string gatewayId, int limit) =>
        _store.Read(db => db.Query(SelectSql + " WHERE gw = @gw ORDER BY id DESC LIMIT @limit", ReadRecord, ("@gw", gatewayId), ("@limit", limit)));

    public Task StopAsync() => _loop.StopAsync();

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private const string SelectSql =
        "SELECT id, gw, seq, name, args, requested_by, created_at, expires_at, state, attempts, sent_at, result, message, replied_at FROM commands";

    private static CommandRecord ReadRecord(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4)) ?? [],
        r.GetString(5), Sql.ParseTime(r.GetString(6)), Sql.ParseTime(r.GetString(7)), r.GetString(8), r.GetInt32(9),
        r.NullableString(10) is { } sent ? Sql.ParseTime(sent) : null, r.NullableString(11), r.NullableString(12),
        r.NullableString(13) is { } replied ? Sql.ParseTime(replied) : null);

    private GatewayCommand Validate(string gatewayId, string name, IReadOnlyDictionary<string, string> args, TimeSpan timeToLive, out int keyVersion, out byte[] key)
    {
        if (!GatewayIdentity.IsGatewayId(gatewayId) || _keys.NewestVersion(gatewayId) is not { } version || _keys.FindKey(gatewayId, version) is not { } found)
        {
            throw new CommandRequestException($"no key is registered for gateway '{gatewayId}'", unknownGateway: true);
        }

        if (!PayloadRules.IsIdentifier(name))
        {
            throw new CommandRequestException("name: must be an identifier (1-32 of A-Z a-z 0-9 _ - . :)");
        }

        if (args.Count > PacketLimits.MaxCommandArguments)
        {
            throw new CommandRequestException($"args: at most {PacketLimits.MaxCommandArguments} arguments");
        }

        foreach (var (argument, value) in args)
        {
            if (!PayloadRules.IsIdentifier(argument) || value is null || !PayloadRules.IsArgument(value))
            {
                throw new CommandRequestException($"args: '{argument}' must be an identifier with a string value of at most {PacketLimits.MaxArgumentLength} characters");
            }
        }

        if (timeToLive < TimeSpan.FromSeconds(1) || timeToLive > MaxTimeToLive)
        {
            throw new CommandRequestException($"ttlSeconds: must be 1 to {MaxTimeToLive.TotalSeconds:0}");
        }

        if (name == Core.Commands.CommandProcessor.SetTime && timeToLive > GatewayTimeKeeper.TimeToLive)
        {
            throw new CommandRequestException($"ttlSeconds: set-time lives at most {GatewayTimeKeeper.TimeToLive.TotalSeconds:0} s (a late time is a wrong time)");
        }

        keyVersion = version;
        key = found;
        return new GatewayCommand
        {
            Name = name,
            Arguments = args.Select(pair => new CommandArgument(pair.Key, pair.Value)).ToArray(),
        };
    }

    private async Task<TimeSpan> PassAsync(CancellationToken stop)
    {
        try
        {
            await ExpireAsync();
            await DeliverQueuedAsync(stop);
        }
        catch (Exception failure) when (failure is DbException or ObjectDisposedException)
        {
            _log.LogError("command delivery: {Reason}", failure.Message);
        }

        return Poll;
    }

    private async Task ExpireAsync()
    {
        var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
        var expired = await _store.WriteAsync(db => db.Execute(
            "UPDATE commands SET state = 'expired' WHERE state IN ('queued', 'sent') AND replied_at IS NULL AND expires_at <= @now", ("@now", now)));
        if (expired > 0)
        {
            _metrics.CommandsExpired(expired);
            _log.LogInformation("{Count} commands expired without a reply", expired);
        }
    }

    // In id order per gateway: the gateway refuses a command numbered below one it already executed.
    private async Task DeliverQueuedAsync(CancellationToken stop)
    {
        var queued = _store.Read(db => db.Query(
            "SELECT id, gw, packet FROM commands WHERE state = 'queued' AND expires_at > @now ORDER BY id",
            r => (Id: r.GetInt64(0), Gateway: r.GetString(1), Packet: r.GetString(2)), ("@now", Sql.Time(_time.GetUtcNow().UtcDateTime))));
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in queued)
        {
            if (blocked.Contains(command.Gateway) || !_link.IsReady(command.Gateway))
            {
                blocked.Add(command.Gateway);
                continue;
            }

            if (!await _link.DeliverAsync(command.Gateway, _topics.Down(command.Gateway), Encoding.ASCII.GetBytes(command.Packet), stop))
            {
                blocked.Add(command.Gateway);
                continue;
            }

            var now = Sql.Time(_time.GetUtcNow().UtcDateTime);
            await _store.WriteAsync(db => db.Execute(
                "UPDATE commands SET state = 'sent', attempts = attempts + 1, sent_at = @now WHERE id = @id AND state = 'queued'", ("@now", now), ("@id", command.Id)));
            _metrics.CommandSent();
            _log.LogInformation("command {Id} sent to {Gateway}", command.Id, command.Gateway);
        }
    }

    private static DateTime TruncateToSeconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
