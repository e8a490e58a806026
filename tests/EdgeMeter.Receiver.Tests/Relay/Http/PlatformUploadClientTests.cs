using EdgeMeter.Core.Values;
using EdgeMeter.PlatformSim;
using EdgeMeter.PlatformSim.Faults;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Tests.PlatformSim;

namespace EdgeMeter.Receiver.Tests.Relay.Http;

/// <summary>The receiver's client against the simulator, in-process on 127.0.0.1:0.</summary>
public sealed class PlatformUploadClientTests : IDisposable
{
    private readonly HttpClient http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => http.Dispose();

    /// <summary>A real-time value of the <paramref name="quarter"/>-th quarter hour from 2020-05-20 10:00 (the platforms want quarter-hour stamps).</summary>
    internal static PlatformRecord Reading(int quarter, string value = "123.45", string? key = null) => new()
    {
        DataCode = "000000000112000001",
        DataValue = Decimal(value),
        ConvertRation = new FixedDecimal(1229, 3),
        StatDate = new DateTime(2020, 5, 20, 10, 0, 0).AddMinutes(15 * quarter),
        IdempotencyKey = key,
    };

    private static FixedDecimal Decimal(string text) =>
        FixedDecimal.TryParse(text, out var value) ? value : throw new ArgumentException(text);

    private PlatformUploadClient ClientFor(
        RunningPlatformSim sim,
        TimeProvider? time = null,
        TimeSpan? callTimeout = null,
        bool batch = false,
        int maxBatch = 100,
        string password = PlatformSimOptions.DefaultPassword) =>
        new(http, new PlatformClientOptions
        {
            Name = sim.Name,
            BaseAddress = sim.BaseAddress,
            EnterpriseCode = SimHarness.Enterprise,
            Password = password,
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10),
            SupportsBatch = batch,
            MaxBatchSize = maxBatch,
        }, time);

    [Fact]
    public async Task Every_field_arrives_as_the_platform_expects()
    {
        await using var sim = await SimHarness.StartAsync(o => o.RegVersion = "2.3");
        var time = new ManualTime(new DateTimeOffset(2020, 5, 21, 16, 0, 2, TimeSpan.Zero));
        var client = ClientFor(sim, time);
        var record = new PlatformRecord
        {
            DataCode = "010230010112000001",
            DataValue = new FixedDecimal(12340, 3),
            ConvertRation = new FixedDecimal(1229, 4),
            StatDate = new DateTime(2020, 5, 21),
            StatType = StatType.Day,
            InputType = InputType.Dcs,
            Scope = DataScope.ProcessUnit,
            Valid = false,
            IdempotencyKey = "gw-07:42",
        };

        var outcome = await client.UploadAsync(record, Ct);

        Assert.Equal(UploadOutcomeKind.Delivered, outcome.Kind);
        Assert.False(outcome.Duplicate);
        var stored = Assert.Single(sim.Records);
        Assert.Equal(SimHarness.Enterprise, stored.EnterpriseCode);
        Assert.Equal("2.3", stored.RegVersion);
        Assert.Equal("1.0", stored.DicVersion);
        Assert.Equal("010230010112000001", stored.DataCode);
        Assert.Equal("12.340", stored.DataValue);
        Assert.Equal("0.1229", stored.ConvertRation);
        Assert.Equal("0", stored.Valid);
        Assert.Equal("3", stored.Scope);
        Assert.Equal("3", stored.InputType);
        Assert.Equal("1", stored.StatType);
        Assert.Equal("2020-05-21 00:00:00", stored.StatDate);
        Assert.Equal("2020-05-22 00:00:02", stored.UploadDate);
        Assert.Equal("gw-07:42", stored.IdempotencyKey);
    }

    [Fact]
    public async Task A_401_renews_the_token_once_and_the_upload_succeeds()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        await client.UploadAsync(Reading(0), Ct);
        var firstToken = client.CurrentToken!.Value;
        sim.Faults.ExpireTokens();

        var outcome = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Delivered, outcome.Kind);
        Assert.NotEqual(firstToken, client.CurrentToken!.Value);
        Assert.Equal(2, sim.Stats.TokensIssued);
        Assert.Equal(1, sim.Stats.Unauthorized);
        Assert.Equal(2, sim.Records.Count);
    }

    [Fact]
    public async Task A_token_near_its_expiry_is_renewed_before_use()
    {
        await using var sim = await SimHarness.StartAsync(o => o.TokenLifetime = TimeSpan.FromHours(2));
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var client = ClientFor(sim, time);
        await client.UploadAsync(Reading(0), Ct);
        time.Now += TimeSpan.FromHours(2);

        var outcome = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(2, sim.Stats.TokensIssued);
        Assert.Equal(0, sim.Stats.Unauthorized);
    }

    [Fact]
    public async Task New_platform_versions_are_learned_on_409_and_the_upload_succeeds()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        await client.UploadAsync(Reading(0), Ct);
        sim.SetVersions("1.1", "4.0");

        var outcome = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(new PlatformVersions("1.1", "4.0"), client.CurrentVersions);
        Assert.Equal("4.0", sim.Records[1].DicVersion);
    }

    [Fact]
    public async Task A_5xx_is_a_retry_and_the_next_attempt_delivers()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        await client.UploadAsync(Reading(0), Ct);
        sim.Faults.Set(new FaultSettings { Status5xx = 1 });

        var failed = await client.UploadAsync(Reading(15), Ct);
        var resent = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Retry, failed.Kind);
        Assert.Equal(503, failed.Code);
        Assert.Equal(UploadOutcomeKind.Delivered, resent.Kind);
        Assert.Equal(2, sim.Records.Count);
    }

    [Fact]
    public async Task A_timeout_is_a_retry()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, callTimeout: TimeSpan.FromMilliseconds(300));
        await client.UploadAsync(Reading(0), Ct);
        sim.Faults.Set(new FaultSettings { TimeoutMs = 30_000 });

        var outcome = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.Equal(0, outcome.Code);
        Assert.StartsWith("timeout", outcome.Reason, StringComparison.Ordinal);
        Assert.Single(sim.Records);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_retry()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        await client.UploadAsync(Reading(0), Ct);
        sim.Faults.Set(new FaultSettings { Down = true });

        var outcome = await client.UploadAsync(Reading(15), Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.StartsWith("network", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_that_is_down_before_login_gives_a_retry_naming_requestAK()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Faults.Set(new FaultSettings { Status5xx = 1 });

        var outcome = await ClientFor(sim).UploadAsync(Reading(0), Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.StartsWith("requestAK: ", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_is_a_retry_not_a_rejection()
    {
        await using var sim = await SimHarness.StartAsync();

        var outcome = await ClientFor(sim, password: "wrong").UploadAsync(Reading(0), Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.Equal(403, outcome.Code);
        Assert.Contains("not recognised", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_the_platform_finds_invalid_is_rejected_with_its_reason()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);

        var outcome = await client.UploadAsync(Reading(0) with { DataValue = new FixedDecimal(long.MaxValue, 0) }, Ct);

        Assert.Equal(UploadOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal(400, outcome.Code);
        Assert.StartsWith("dataValue: ", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(sim.Records);
    }

    [Fact]
    public async Task A_key_reused_for_other_content_is_rejected()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        await client.UploadAsync(Reading(0, "1.5", "gw:1:0"), Ct);

        var outcome = await client.UploadAsync(Reading(0, "2.5", "gw:1:0"), Ct);

        Assert.Equal(UploadOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal(422, outcome.Code);
        Assert.StartsWith("dataValue: ", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_fails_the_local_check_is_rejected_without_a_request()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);

        var badCode = await client.UploadAsync(Reading(0) with { DataCode = "00000000001200000" }, Ct);
        var badKey = await client.UploadAsync(Reading(0, key: "gw,1"), Ct);

        Assert.Equal(UploadOutcome.Rejected(0, "dataCode: '00000000001200000' is not 18 characters"), badCode);
        Assert.Equal(UploadOutcomeKind.Rejected, badKey.Kind);
        Assert.StartsWith("Idempotency-Key: ", badKey.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sim.Stats.Requests);
    }

    [Fact]
    public async Task A_resent_record_is_absorbed_as_a_duplicate()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim);
        var record = Reading(0, key: "gw-1:9");

        var first = await client.UploadAsync(record, Ct);
        var again = await client.UploadAsync(record, Ct);

        Assert.False(first.Duplicate);
        Assert.Equal(UploadOutcomeKind.Delivered, again.Kind);
        Assert.True(again.Duplicate);
        Assert.Single(sim.Records);
        Assert.Equal(1, sim.Stats.Duplicates);
    }

    [Fact]
    public async Task A_batch_gets_one_outcome_per_record_in_order()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, batch: true);
        await client.UploadAsync(Reading(0, key: "g:1:0"), Ct);
        PlatformRecord[] batch =
        [
            Reading(0, key: "g:1:0"),
            Reading(15, key: "g:1:1"),
            Reading(30, key: "g:1:2") with { DataCode = "bad" },
            Reading(45, key: "g:1:3") with { DataValue = new FixedDecimal(long.MaxValue, 0) },
            Reading(50),
        ];

        var outcomes = await client.UploadBatchAsync(batch, Ct);

        Assert.Equal(
            new[] { UploadOutcomeKind.Delivered, UploadOutcomeKind.Delivered, UploadOutcomeKind.Rejected, UploadOutcomeKind.Rejected, UploadOutcomeKind.Delivered },
            outcomes.Select(o => o.Kind));
        Assert.True(outcomes[0].Duplicate);
        Assert.Equal(0, outcomes[2].Code);
        Assert.Equal(400, outcomes[3].Code);
        Assert.Equal(new string?[] { "g:1:0", "g:1:1", null }, sim.Records.Select(r => r.IdempotencyKey));
        Assert.Equal(4, sim.Stats.Requests);
    }

    [Fact]
    public async Task A_batch_is_sent_in_chunks_of_MaxBatchSize()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, batch: true, maxBatch: 2);
        var batch = Enumerable.Range(0, 5).Select(i => Reading(i * 10, key: $"g:2:{i}")).ToArray();

        var outcomes = await client.UploadBatchAsync(batch, Ct);

        Assert.All(outcomes, o => Assert.Equal(UploadOutcomeKind.Delivered, o.Kind));
        Assert.Equal(5, sim.Records.Count);
        Assert.Equal(2 + 3, sim.Stats.Requests);
    }

    [Fact]
    public async Task A_batch_the_platform_finds_too_large_falls_back_to_single_uploads()
    {
        await using var sim = await SimHarness.StartAsync(o => o.MaxBatchSize = 2);
        var client = ClientFor(sim, batch: true, maxBatch: 3);
        var batch = Enumerable.Range(0, 3).Select(i => Reading(i * 10)).ToArray();

        var outcomes = await client.UploadBatchAsync(batch, Ct);

        Assert.All(outcomes, o => Assert.Equal(UploadOutcomeKind.Delivered, o.Kind));
        Assert.Equal(3, sim.Records.Count);
        Assert.Equal(2 + 1 + 3, sim.Stats.Requests);
    }

    [Fact]
    public async Task A_batch_survives_token_expiry_and_a_version_change()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, batch: true);
        await client.UploadAsync(Reading(0), Ct);
        sim.Faults.ExpireTokens();
        sim.SetVersions("9.9", "1.0");

        var outcomes = await client.UploadBatchAsync([Reading(15), Reading(30)], Ct);

        Assert.All(outcomes, o => Assert.Equal(UploadOutcomeKind.Delivered, o.Kind));
        Assert.Equal(new[] { "1.0", "9.9", "9.9" }, sim.Records.Select(r => r.RegVersion));
        Assert.Equal(2, sim.Stats.TokensIssued);
    }

    [Fact]
    public async Task Without_batch_support_records_go_one_per_request()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, batch: false);

        var outcomes = await client.UploadBatchAsync([Reading(0), Reading(15), Reading(30)], Ct);

        Assert.All(outcomes, o => Assert.Equal(UploadOutcomeKind.Delivered, o.Kind));
        Assert.Equal(2 + 3, sim.Stats.Requests);
    }

    [Fact]
    public async Task A_batch_hit_by_a_5xx_is_retry_for_every_record()
    {
        await using var sim = await SimHarness.StartAsync();
        var client = ClientFor(sim, batch: true);
        await client.CheckVersionAsync(Ct);
        sim.Faults.Set(new FaultSettings { Status5xx = 1 });

        var outcomes = await client.UploadBatchAsync([Reading(0), Reading(15)], Ct);

        Assert.All(outcomes, o => Assert.Equal(UploadOutcome.Retry(503, "injected fault: platform unavailable"), o));
        Assert.Empty(sim.Records);
    }
}
