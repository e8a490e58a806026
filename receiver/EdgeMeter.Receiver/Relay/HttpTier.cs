using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Relay;

/// <summary>A stored reading as the HTTP tier reads it.</summary>
public sealed record ReadingRelayRow(long Id, long N, string Meter, string Point, DateTime TimeUtc, string Value, ReadingFlags Flags) : IRelayRow;

/// <summary>
/// The HTTP tier: one platform's upload interface (docs/platform-upload.md). Each reading becomes one record:
/// the point's dataCode, conversion factor and codes from the configured mapping, the gateway's enterprise code and
/// the exact value; Idempotency-Key "{gateway}:{n}". Readings of unmapped points are stored but not uploaded
/// (counted). A refused record goes to dead_letters with the platform's reason; a Retry stops the batch there.
/// </summary>
public sealed class HttpTier : TierRelay<ReadingRelayRow>
{
    /// <summary>Flags that make a reading not "valid" for the platform: not a clean measurement at a trusted time.</summary>
    private const ReadingFlags NotValid = ReadingFlags.TimeUnsynchronized | ReadingFlags.MeterError | ReadingFlags.Estimated;

    private readonly Routing _routing;
    private readonly HttpClient _http;
    private readonly bool _supportsBatch;
    private readonly Dictionary<string, PlatformUploadClient> _clients = new(StringComparer.Ordinal);

    public HttpTier(PlatformOptions options, Routing routing, PacketStore store, ReceiverMetrics metrics, TimeProvider time, ILogger log, Random random)
        : base(options.Name, routing.GatewaysOf(options.Name), store, options, metrics, time, log, random)
    {
        var http = options.Http!;
        _routing = routing;
        _supportsBatch = http.SupportsBatch;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        foreach (var enterprise in routing.EnterprisesOf(options.Name))
        {
            _clients[enterprise] = new PlatformUploadClient(_http, new PlatformClientOptions
            {
                Name = options.Name,
                BaseAddress = new Uri(http.BaseAddress),
                EnterpriseCode = enterprise,
                Password = http.EnterprisePasswords[enterprise],
                CallTimeout = TimeSpan.FromSeconds(http.CallTimeoutSeconds),
                SupportsBatch = http.SupportsBatch,
                MaxBatchSize = http.MaxBatchSize,
            }, time);
        }
    }

    /// <summary>The gateway's readings after the cursor ($gw, $after, $limit), in id order.</summary>
    internal const string PendingReadingsSql = $"SELECT r.id, r.n, r.meter, r.point, r.t, r.val, r.flags {AfterCursor} ORDER BY p.id, r.id LIMIT $limit";

    /// <summary>How many readings of the gateway are after the cursor ($gw, $after).</summary>
    internal const string LagReadingsSql = $"SELECT COUNT(*) {AfterCursor}";

    // Through the gateway's packets, from the one holding the cursor's reading on (StoreSchema says why).
    private const string AfterCursor = """
        FROM packets p JOIN readings r ON r.packet_id = p.id
        WHERE p.gw = $gw AND p.id >= coalesce((SELECT packet_id FROM readings WHERE id = $after), 0) AND r.id > $after
        """;

    protected override string PendingSql => PendingReadingsSql;

    protected override string LagSql => LagReadingsSql;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>The platform record of a stored reading, or null when the point has no mapping.</summary>
    public static PlatformRecord? ToRecord(string gateway, ReadingRelayRow row, PointMapping? mapping)
    {
        if (mapping is null || !FixedDecimal.TryParse(row.Value, out var value))
        {
            return null;
        }

        return new PlatformRecord
        {
            DataCode = mapping.DataCode,
            DataValue = value,
            ConvertRation = mapping.ConvertRation,
            StatDate = PlatformTime.FromUtc(row.TimeUtc),
            StatType = mapping.StatType,
            InputType = mapping.InputType,
            Scope = mapping.Scope,
            Valid = (row.Flags & NotValid) == 0,
            IdempotencyKey = PlatformRecord.KeyFor(gateway, row.N),
        };
    }

    protected override ReadingRelayRow ReadRow(SqliteDataReader reader)
    {
        PacketText.TryParseTime(reader.GetString(4), out var time);
        return new ReadingRelayRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), time, reader.GetString(5), (ReadingFlags)reader.GetInt32(6));
    }

    protected override async Task<BatchOutcome> SendAsync(string gateway, IReadOnlyList<ReadingRelayRow> rows, CancellationToken cancellation)
    {
        var client = _clients[_routing.EnterpriseOf(gateway)!];
        var records = rows.Select(row => ToRecord(gateway, row, _routing.Point(gateway, row.Meter, row.Point))).ToArray();
        var mapped = records.Where(record => record is not null).Select(record => record!).ToList();
        var outcomes = mapped.Count == 0 ? [] : _supportsBatch ? await client.UploadBatchAsync(mapped, cancellation) : await UploadUntilRetryAsync(client, mapped, cancellation);

        var advanced = 0;
        var delivered = 0;
        var unmapped = 0;
        var deadLetters = new List<DeadLetter>();
        var next = 0;
        for (; advanced < rows.Count; advanced++)
        {
            if (records[advanced] is null)
            {
                unmapped++;
                continue;
            }

            if (next >= outcomes.Count)
            {
                break;
            }

            var outcome = outcomes[next++];
            if (outcome.Kind == UploadOutcomeKind.Retry)
            {
                return new BatchOutcome(advanced, delivered, deadLetters, unmapped, outcome.Reason);
            }

            if (outcome.Kind == UploadOutcomeKind.Rejected)
            {
                deadLetters.Add(new DeadLetter(rows[advanced].Id, rows[advanced].N, outcome.Code, outcome.Reason));
            }
            else
            {
                delivered++;
            }
        }

        return new BatchOutcome(advanced, delivered, deadLetters, unmapped, null);
    }

    // One record per request (the published contract): stop at the first Retry instead of timing out on every record.
    private static async Task<IReadOnlyList<UploadOutcome>> UploadUntilRetryAsync(PlatformUploadClient client, List<PlatformRecord> records, CancellationToken cancellation)
    {
        var outcomes = new List<UploadOutcome>(records.Count);
        foreach (var record in records)
        {
            var outcome = await client.UploadAsync(record, cancellation);
            outcomes.Add(outcome);
            if (outcome.Kind == UploadOutcomeKind.Retry)
            {
                break;
            }
        }

        return outcomes;
    }
}
