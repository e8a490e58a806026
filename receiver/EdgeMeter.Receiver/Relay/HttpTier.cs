using System.Data.Common;
using System.Globalization;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Relay;

/// <summary>A final indicator value queued for upload (indicator_uploads).</summary>
public sealed record IndicatorUploadRow(
    long Id, string DataCode, StatType StatType, DateTime StartUtc, string Value, bool Valid, int Revision, string ConvertRation, DataScope Scope, InputType InputType)
    : IRelayRow;

/// <summary>
/// The HTTP tier: one platform's upload interface (docs/platform-upload.md), fed with the final indicator values of
/// the enterprises routed to it (docs/indicators.md), in the order they became final, one stream per enterprise.
/// Each value is one record; Idempotency-Key "{enterprise}:{dataCode}:{statType}:{yyyyMMddHHmm}", with ":r{n}" for
/// the n-th correction. A refused record goes to dead_letters with the platform's reason; a Retry stops the batch
/// there. Raw readings are not sent here: the MQTT tiers carry those.
/// </summary>
public sealed class HttpTier : TierRelay<IndicatorUploadRow>
{
    private readonly HttpClient _http;
    private readonly bool _supportsBatch;
    private readonly ItemCatalogue _items;
    private readonly Dictionary<string, PlatformUploadClient> _clients = new(StringComparer.Ordinal);

    public HttpTier(PlatformOptions options, Routing routing, ItemCatalogue items, PacketStore store, ReceiverMetrics metrics, TimeProvider time, ILogger log, Random random)
        : base(options.Name, routing.EnterprisesOf(options.Name), store, options, metrics, time, log, random)
    {
        _items = items;
        var http = options.Http!;
        _supportsBatch = http.SupportsBatch;
        _http = PlatformTransport.Create(http);
        foreach (var enterprise in routing.EnterprisesOf(options.Name))
        {
            _clients[enterprise] = new PlatformUploadClient(_http, ClientOptions(options, enterprise), time);
        }
    }

    /// <summary>How <paramref name="enterprise"/> talks to the HTTP platform <paramref name="platform"/>.</summary>
    public static PlatformClientOptions ClientOptions(PlatformOptions platform, string enterprise)
    {
        var http = platform.Http!;
        return new PlatformClientOptions
        {
            Name = platform.Name,
            BaseAddress = new Uri(http.BaseAddress),
            EnterpriseCode = enterprise,
            Password = http.EnterprisePasswords[enterprise],
            PasswordProtector = http.PasswordProtection is { } sm4 ? new Sm4PasswordProtector(sm4) : PlainPasswordProtector.Instance,
            CallTimeout = TimeSpan.FromSeconds(http.CallTimeoutSeconds),
            SupportsBatch = http.SupportsBatch,
            MaxBatchSize = http.MaxBatchSize,
        };
    }

    /// <summary>The enterprise's queued values after the cursor (@gw = enterprise, @after, @limit), in order.</summary>
    internal const string PendingUploadsSql = """
        SELECT id, data_code, stat_type, start_t, value, valid, revision, convert_ration, scope, input_type
        FROM indicator_uploads WHERE enterprise = @gw AND id > @after ORDER BY id LIMIT @limit
        """;

    internal const string LagUploadsSql = "SELECT COUNT(*) FROM indicator_uploads WHERE enterprise = @gw AND id > @after";

    protected override string PendingSql => PendingUploadsSql;

    protected override string LagSql => LagUploadsSql;

    protected override string OldestWaitingSql => "SELECT created_at FROM indicator_uploads WHERE enterprise = @gw AND id > @after ORDER BY id LIMIT 1";

    protected override string RowByIdSql => """
        SELECT id, data_code, stat_type, start_t, value, valid, revision, convert_ration, scope, input_type
        FROM indicator_uploads WHERE id = @id
        """;

    /// <summary>A later correction of the same period was queued: sending this older value now would overwrite it.</summary>
    protected override string? SupersededBy(DbConnection db, string enterprise, IndicatorUploadRow row) =>
        db.ScalarLong(
            "SELECT MAX(revision) FROM indicator_uploads WHERE enterprise = @e AND data_code = @code AND stat_type = @type AND start_t = @start AND revision > @revision",
            ("@e", enterprise), ("@code", row.DataCode), ("@type", (int)row.StatType), ("@start", SampleReader.ToMs(row.StartUtc)), ("@revision", row.Revision)) is { } newer
            ? $"superseded by correction {newer} of the same period"
            : null;

    /// <summary>The item's current convertRation, scope and inputType: what an operator fixes in the configuration before a resend.</summary>
    protected override IndicatorUploadRow ForResend(string enterprise, IndicatorUploadRow row) =>
        _items.Find(enterprise, row.DataCode) is { } item
            ? row with { ConvertRation = item.ConvertRation.ToString(), Scope = item.Scope, InputType = item.InputType }
            : row;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>The platform record of a queued value.</summary>
    public static PlatformRecord ToRecord(string enterprise, IndicatorUploadRow row) => new()
    {
        DataCode = row.DataCode,
        DataValue = Exact(row.Value),
        ConvertRation = Exact(row.ConvertRation),
        StatDate = Relay.Http.PlatformTime.FromUtc(row.StartUtc),
        StatType = row.StatType,
        InputType = row.InputType,
        Scope = row.Scope,
        Valid = row.Valid,
        IdempotencyKey = KeyFor(enterprise, row.DataCode, row.StatType, row.StartUtc, row.Revision),
    };

    /// <summary>"{enterprise}:{dataCode}:{statType}:{yyyyMMddHHmm}" in Beijing time, plus ":r{revision}" for a correction.</summary>
    public static string KeyFor(string enterprise, string dataCode, StatType statType, DateTime startUtc, int revision)
    {
        var key = $"{enterprise}:{dataCode}:{(int)statType}:{Relay.Http.PlatformTime.FromUtc(startUtc).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}";
        return revision > 0 ? $"{key}:r{revision}" : key;
    }

    protected override IndicatorUploadRow ReadRow(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), (StatType)reader.GetInt32(2), SampleReader.FromMs(reader.GetInt64(3)), reader.GetString(4),
        reader.GetInt32(5) == 1, reader.GetInt32(6), reader.GetString(7), (DataScope)reader.GetInt32(8), (InputType)reader.GetInt32(9));

    protected override async Task<BatchOutcome> SendAsync(string enterprise, IReadOnlyList<IndicatorUploadRow> rows, CancellationToken cancellation)
    {
        var client = _clients[enterprise];
        var records = rows.Select(row => ToRecord(enterprise, row)).ToList();
        var outcomes = _supportsBatch ? await client.UploadBatchAsync(records, cancellation) : await UploadUntilRetryAsync(client, records, cancellation);

        var delivered = 0;
        var deadLetters = new List<DeadLetter>();
        for (var i = 0; i < rows.Count && i < outcomes.Count; i++)
        {
            switch (outcomes[i].Kind)
            {
                case UploadOutcomeKind.Retry:
                    return new BatchOutcome(i, delivered, deadLetters, 0, outcomes[i].Reason);
                case UploadOutcomeKind.Rejected:
                    deadLetters.Add(new DeadLetter(rows[i].Id, null, outcomes[i].Code, outcomes[i].Reason));
                    break;
                default:
                    delivered++;
                    break;
            }
        }

        var advanced = Math.Min(rows.Count, outcomes.Count);
        return new BatchOutcome(advanced, delivered, deadLetters, 0, advanced < rows.Count ? "no answer for every record" : null);
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

    private static FixedDecimal Exact(string text) =>
        FixedDecimal.TryParse(text, out var value) ? value : throw new InvalidDataException($"queued value '{text}' is not an exact decimal");
}
