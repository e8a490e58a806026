using System.Net;
using System.Text.Json.Nodes;
using EdgeMeter.PlatformSim;
using EdgeMeter.PlatformSim.Faults;

namespace EdgeMeter.Receiver.Tests.PlatformSim;

public class SimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestAK_issues_a_token_with_the_published_fields()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);

        var (status, body) = await SimHarness.PostAsync(http, "requestAK", new JsonObject
        {
            ["enterpriseCode"] = SimHarness.Enterprise,
            ["password"] = PlatformSimOptions.DefaultPassword,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var data = body.GetProperty("data");
        Assert.Equal(32, data.GetProperty("token").GetString()!.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \d{3}$", data.GetProperty("akExpiresIn").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \d{3}$", data.GetProperty("akValidAt").GetString());
        Assert.Equal("00:30:00", data.GetProperty("enterpriseUploadTime").GetString());
        Assert.Equal(sim.BaseAddress.ToString(), data.GetProperty("platformURL").GetString());
        Assert.Equal(1, sim.Stats.TokensIssued);
    }

    [Theory]
    [InlineData("91530100MA6NXKB7X1", "wrong", 403)]
    [InlineData("91110000MA01ABCD2Q", "edgemeter-demo", 403)]
    [InlineData(null, "edgemeter-demo", 400)]
    public async Task RequestAK_refuses_unknown_credentials(string? code, string password, int expected)
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var login = new JsonObject { ["password"] = password };
        if (code is not null)
        {
            login["enterpriseCode"] = code;
        }

        var (status, _) = await SimHarness.PostAsync(http, "requestAK", login);

        Assert.Equal(expected, (int)status);
        Assert.Equal(0, sim.Stats.TokensIssued);
    }

    [Fact]
    public async Task Configured_enterprises_replace_the_default()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Enterprises["91110000MA01ABCD2Q"] = "s3cret");
        using var http = SimHarness.HttpFor(sim);

        var (mine, _) = await SimHarness.PostAsync(http, "requestAK", new JsonObject { ["enterpriseCode"] = "91110000MA01ABCD2Q", ["password"] = "s3cret" });
        var (fallback, _) = await SimHarness.PostAsync(http, "requestAK", new JsonObject { ["enterpriseCode"] = SimHarness.Enterprise, ["password"] = PlatformSimOptions.DefaultPassword });

        Assert.Equal(HttpStatusCode.OK, mine);
        Assert.Equal(HttpStatusCode.Forbidden, fallback);
    }

    [Fact]
    public async Task Calls_without_a_valid_token_get_401()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);

        var (missing, _) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord());
        var (unknown, body) = await SimHarness.PostAsync(http, "checkVersion", new JsonObject(), token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
        Assert.Equal("token: unknown", body.GetProperty("responseMessage").GetString());
        Assert.Equal(2, sim.Stats.Unauthorized);
        Assert.Empty(sim.Records);
    }

    [Fact]
    public async Task CheckVersion_reports_the_current_versions()
    {
        await using var sim = await SimHarness.StartAsync(o => o.RegVersion = "3.1");
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        sim.SetVersions("3.2", "7");

        var (_, body) = await SimHarness.PostAsync(http, "checkVersion", new JsonObject { ["enterpriseCode"] = SimHarness.Enterprise }, token);

        Assert.Equal("3.2", body.GetProperty("data").GetProperty("regVersion").GetString());
        Assert.Equal("7", body.GetProperty("data").GetProperty("dicVersion").GetString());
    }

    [Fact]
    public async Task Expired_tokens_get_401_and_a_new_token_works()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        await SimHarness.PostControlAsync(http, "_sim/faults", new { expireTokens = true });

        var (expired, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord(), token);
        var (renewed, _) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord(), await SimHarness.LoginAsync(http));

        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.StartsWith("token: expired", body.GetProperty("responseMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, renewed);
    }

    [Fact]
    public async Task Repeats_are_absorbed_by_idempotency_key_and_by_natural_key()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var keyed = SimHarness.ValidRecord("2020-05-20 10:15:00");
        var unkeyed = SimHarness.ValidRecord("2020-05-20 10:30:00");

        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", keyed, token, "gw-1:7:0");
        var (_, repeat) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", keyed, token, "gw-1:7:0");
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", unkeyed, token);
        unkeyed["uploadDate"] = "2020-05-20 10:40:00";
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", unkeyed, token);

        Assert.True(repeat.GetProperty("data").GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, sim.Records.Count);
        Assert.Equal("gw-1:7:0", sim.Records[0].IdempotencyKey);
        Assert.Null(sim.Records[1].IdempotencyKey);
        Assert.Equal(2, sim.Stats.Accepted);
        Assert.Equal(2, sim.Stats.Duplicates);
    }

    [Fact]
    public async Task A_key_reused_with_different_content_is_a_conflict()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var record = SimHarness.ValidRecord();
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token, "gw-1:8:0");
        record["dataValue"] = "999.99";

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token, "gw-1:8:0");

        Assert.Equal(422, (int)status);
        Assert.Equal("dataValue", body.GetProperty("data").GetProperty("field").GetString());
        Assert.Equal("123.45", Assert.Single(sim.Records).DataValue);
    }

    [Fact]
    public async Task A_batch_is_processed_record_by_record_with_one_key_each()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord("2020-05-20 10:00:00"), token, "g:1:0");
        var bad = SimHarness.ValidRecord("2020-05-20 10:45:00");
        bad["scope"] = "9";
        var batch = new JsonArray(
            SimHarness.ValidRecord("2020-05-20 10:00:00"),
            SimHarness.ValidRecord("2020-05-20 10:15:00"),
            bad,
            SimHarness.ValidRecord("2020-05-20 10:30:00"));

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", batch, token, "g:1:0,g:1:1,g:1:2,");

        Assert.Equal(HttpStatusCode.OK, status);
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetProperty("accepted").GetInt32());
        Assert.Equal(1, data.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, data.GetProperty("rejected").GetInt32());
        var results = data.GetProperty("results").EnumerateArray().ToArray();
        Assert.True(results[0].GetProperty("data").GetProperty("duplicate").GetBoolean());
        Assert.Equal(400, results[2].GetProperty("responseCode").GetInt32());
        Assert.Equal("scope", results[2].GetProperty("data").GetProperty("field").GetString());
        Assert.Equal(new string?[] { "g:1:0", "g:1:1", null }, sim.Records.Select(r => r.IdempotencyKey));
    }

    [Theory]
    [InlineData(3, "a,b", 400)]
    [InlineData(0, null, 400)]
    [InlineData(5, null, 413)]
    public async Task Malformed_batches_are_refused_whole(int count, string? keys, int expected)
    {
        await using var sim = await SimHarness.StartAsync(o => o.MaxBatchSize = 4);
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var batch = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            batch.Add(SimHarness.ValidRecord($"2020-05-20 1{i}:00:00"));
        }

        var (status, _) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", batch, token, keys);

        Assert.Equal(expected, (int)status);
        Assert.Empty(sim.Records);
    }

    [Fact]
    public async Task Counted_5xx_faults_hit_exactly_the_next_requests()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        await SimHarness.PostControlAsync(http, "_sim/faults", new { status5xx = 2, status5xxCode = 502 });

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((int)(await SimHarness.PostAsync(http, "checkVersion", new JsonObject(), token)).Status);
        }

        Assert.Equal(new[] { 502, 502, 200 }, statuses);
        Assert.Equal(2, sim.Stats.FaultsInjected);
        Assert.Equal(0, sim.Faults.Current.Status5xx);
    }

    [Fact]
    public async Task Fractional_faults_repeat_exactly_for_the_same_seed()
    {
        async Task<string> PatternAsync(int seed)
        {
            await using var sim = await SimHarness.StartAsync(o => o.Seed = seed);
            using var http = SimHarness.HttpFor(sim);
            var token = await SimHarness.LoginAsync(http);
            sim.Faults.Set(new FaultSettings { Status5xx = 0.5 });
            var pattern = new char[40];
            for (var i = 0; i < pattern.Length; i++)
            {
                var (status, _) = await SimHarness.PostAsync(http, "checkVersion", new JsonObject(), token);
                pattern[i] = status == HttpStatusCode.OK ? '.' : 'X';
            }

            return new string(pattern);
        }

        var first = await PatternAsync(42);
        var again = await PatternAsync(42);
        var other = await PatternAsync(7);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(c => c == 'X'), 5, 35);
    }

    [Fact]
    public async Task Down_drops_connections_and_clearing_restores_service()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        await SimHarness.PostControlAsync(http, "_sim/faults", new { down = true });

        await Assert.ThrowsAsync<HttpRequestException>(() => SimHarness.LoginAsync(http));
        using var cleared = await http.DeleteAsync("_sim/faults", Ct);
        var token = await SimHarness.LoginAsync(http);

        Assert.False(sim.Faults.Current.Down);
        Assert.NotEmpty(token);
        Assert.True(sim.Stats.FaultsInjected >= 1);
    }

    [Fact]
    public async Task Fault_api_merges_fields_and_refuses_nonsense()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);

        await SimHarness.PostControlAsync(http, "_sim/faults", new { slowMs = 5 });
        var merged = await SimHarness.PostControlAsync(http, "_sim/faults", new { timeoutMs = 100, timeouts = 2 });
        using var nonsense = await http.PostAsync("_sim/faults", new StringContent("""{"status5xx":2.5}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        using var unknown = await http.PostAsync("_sim/faults", new StringContent("""{"explode":true}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(5, merged.GetProperty("slowMs").GetInt32());
        Assert.Equal(100, merged.GetProperty("timeoutMs").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(new FaultSettings { SlowMs = 5, TimeoutMs = 100, Timeouts = 2 }, sim.Faults.Current);
    }

    [Fact]
    public async Task Query_api_filters_records_and_reports_stats()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Name = "national");
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var other = SimHarness.ValidRecord();
        other["dataCode"] = "010100000212000002";
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord(), token);
        await SimHarness.PostAsync(http, "dataEnterpriseEnergy", other, token);

        var filtered = await SimHarness.GetAsync(http, "_sim/records?dataCode=010100000212000002");
        var stats = await SimHarness.GetAsync(http, "_sim/stats");

        var only = Assert.Single(filtered.EnumerateArray());
        Assert.Equal("010100000212000002", only.GetProperty("dataCode").GetString());
        Assert.Equal("national", only.GetProperty("platform").GetString());
        Assert.Equal("national", stats.GetProperty("platform").GetString());
        Assert.Equal(2, stats.GetProperty("accepted").GetInt64());
        Assert.Equal(3, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("tokensIssued").GetInt64());
    }

    [Fact]
    public async Task The_store_file_keeps_records_and_dedupe_across_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgemeter-sim-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var first = await SimHarness.StartAsync(o => o.StorePath = path))
            {
                using var http = SimHarness.HttpFor(first);
                await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord(), await SimHarness.LoginAsync(http), "gw:1:0");
            }

            await using var second = await SimHarness.StartAsync(o => o.StorePath = path);
            using var again = SimHarness.HttpFor(second);
            var (_, body) = await SimHarness.PostAsync(again, "dataEnterpriseEnergy", SimHarness.ValidRecord(), await SimHarness.LoginAsync(again), "gw:1:0");

            Assert.True(body.GetProperty("data").GetProperty("duplicate").GetBoolean());
            Assert.Equal("gw:1:0", Assert.Single(second.Records).IdempotencyKey);
            Assert.Single(File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
