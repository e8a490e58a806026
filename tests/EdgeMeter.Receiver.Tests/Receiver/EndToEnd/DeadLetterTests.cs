using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Packet;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>
/// Records a platform refused stay in dead letters with its reason; once the cause is fixed (the item's settings in
/// the configuration, the registration at the platform) an operator resends them, through the CLI or the admin
/// API, or drops them, and the audit log says who.
/// </summary>
public sealed class DeadLetterTests : IAsyncLifetime
{
    private const string Registered = "000000000112000001";
    private const string Unregistered = "000000000112000002";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);
    private RunningPlatformSim? _sim;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _harness.DisposeAsync();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }
    }

    [Fact]
    public async Task Refused_values_wait_with_the_reason_and_go_again_with_the_fixed_configuration_once_an_operator_says_so()
    {
        _sim = await ReceiverHarness.StartSimAsync("provincial", o => o.RegisteredDataCodes.Add(Registered));
        _harness.AddHttpPlatform("provincial", _sim, batch: false);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial");
        _harness.AddItem(Registered, TestKeys.Gateway1, "000012345678", "00010000");
        _harness.AddItem(Unregistered, TestKeys.Gateway1, "000012345678", "00010000", ration: "9.999");
        await _harness.StartAsync();
        await PublishReadingsAsync();

        await Eventually.Until(() => _sim.Records.Count == 3 && DeadLetters("dead").GetArrayLength() == 3, "three values taken, three refused");
        var dead = DeadLetters("dead").EnumerateArray().ToList();
        Assert.All(dead, letter =>
        {
            Assert.Equal((422, "provincial", ReceiverHarness.Enterprise1), (letter.GetProperty("code").GetInt32(), letter.GetProperty("tier").GetString(), letter.GetProperty("stream").GetString()));
            Assert.Contains($"dataCode: {Unregistered} is not registered", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.StartsWith($"dataCode {Unregistered} statType 0 statDate 2025-06-01 07:", letter.GetProperty("what").GetString(), StringComparison.Ordinal);
        });

        // The operator fixes the item's convertRation in the configuration and the province registers the item.
        // Meanwhile late data corrected one of the refused values: that one must not go again over its correction.
        await _harness.StopAsync();
        _harness.Options.Items.Single(i => i.DataCode == Unregistered).ConvertRation = "1.229";
        var corrected = dead.Max(letter => letter.GetProperty("id").GetInt64());
        QueueCorrection(dead.Single(letter => letter.GetProperty("id").GetInt64() == corrected).GetProperty("rowId").GetInt64());
        _sim.RegisterDataCode(Unregistered);
        await _harness.StartAsync();
        var dropped = dead.Min(letter => letter.GetProperty("id").GetInt64());
        var drop = await CliAsync("dead-letters", "drop", "--id", dropped.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var retry = await CliAsync("dead-letters", "retry", "--tier", "provincial");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (drop.Exit, retry.Exit));
        Assert.Contains("1 dead letters marked dropped", drop.Output, StringComparison.Ordinal);
        Assert.Contains("2 dead letters marked resend", retry.Output, StringComparison.Ordinal);
        await Eventually.Until(() => DeadLetters("resent").GetArrayLength() == 1 && DeadLetters("superseded").GetArrayLength() == 1, "one resent, one superseded");
        await Eventually.Until(() => _sim.Records.Count(r => r.DataCode == Unregistered) == 2, "the resent value and the correction");
        var resent = _sim.Records.Where(r => r.DataCode == Unregistered).ToList();
        Assert.All(resent, record => Assert.Equal("1.229", record.ConvertRation));
        Assert.Single(resent, record => record.IdempotencyKey!.EndsWith(":r1", StringComparison.Ordinal));
        var superseded = Assert.Single(DeadLetters("superseded").EnumerateArray());
        Assert.Equal((corrected, "superseded by correction 1 of the same period"), (superseded.GetProperty("id").GetInt64(), superseded.GetProperty("reason").GetString()));
        Assert.Empty(DeadLetters("dead").EnumerateArray());
        Assert.Equal(dropped, Assert.Single(DeadLetters("dropped").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.All(DeadLetters(null).EnumerateArray(), letter => Assert.Equal("operator", letter.GetProperty("resolvedBy").GetString()));

        var listed = await CliAsync("dead-letters", "list", "--state", "all");
        Assert.Equal(ExitCodes.Ok, listed.Exit);
        Assert.Contains("3 dead letters", listed.Output, StringComparison.Ordinal);
        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, Ct);
        Assert.Contains("\"actor\":\"operator\",\"action\":\"dead-letters.retry\",\"target\":\"tier provincial\",\"outcome\":\"ok\"", audit, StringComparison.Ordinal);
        Assert.Contains($"\"action\":\"dead-letters.drop\",\"target\":\"ids {dropped}\",\"outcome\":\"ok\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_nothing_or_a_tier_that_does_not_exist_is_refused()
    {
        _sim = await ReceiverHarness.StartSimAsync("provincial");
        _harness.AddHttpPlatform("provincial", _sim, batch: false);
        await _harness.StartAsync();
        using var admin = _harness.Admin();

        using var nothing = await admin.PostAsJsonAsync("admin/dead-letters/retry", new { }, Ct);
        using var noTier = await admin.PostAsJsonAsync("admin/dead-letters/drop", new { tier = "nowhere" }, Ct);
        var cli = await CliAsync("dead-letters", "retry");
        var badState = await admin.GetAsync("admin/dead-letters?state=lost", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("give ids, tier or all", await nothing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noTier.StatusCode);
        Assert.Equal(ExitCodes.Usage, cli.Exit);
        Assert.Contains("--id N (repeatable), --tier NAME or --all", cli.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    // What the indicator engine queues when late data changes an uploaded value: the same period, revision 1.
    private void QueueCorrection(long rowId)
    {
        Assert.Equal(1, _harness.Count("SELECT COUNT(*) FROM indicator_uploads WHERE id = @id", ("@id", rowId)));
        _harness.Execute(
            """
            INSERT INTO indicator_uploads(enterprise, data_code, stat_type, start_t, value, valid, flags, revision, convert_ration, scope, input_type, created_at)
            SELECT enterprise, data_code, stat_type, start_t, '0.011', valid, flags, 1, '1.229', scope, input_type, created_at FROM indicator_uploads WHERE id = @id
            """,
            ("@id", rowId));
    }

    private JsonElement DeadLetters(string? state)
    {
        using var admin = _harness.Admin();
        var text = admin.GetStringAsync($"admin/dead-letters?limit=100{(state is null ? "" : $"&state={state}")}", Ct).GetAwaiter().GetResult();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(int Exit, string Output, string Error)> CliAsync(params string[] args)
    {
        var tokenFile = Path.Combine(_harness.Directory, "admin.token");
        await File.WriteAllTextAsync(tokenFile, ReceiverHarness.AdminToken + "\n", Ct);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync([.. args, "--url", _harness.Receiver!.AdminAddress.ToString(), "--token-file", tokenFile], output, error, TextReader.Null);
        return (exit, output.ToString(), error.ToString());
    }

    // Energy at 07:00, 07:15, 07:30 and 07:45 Beijing on 2025-06-01: three quarter-hour values, final at once.
    private async Task PublishReadingsAsync()
    {
        var connected = await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        var up = _gateway.SignReadings(
            1, TestGateway.Reading(1, "100.01"), TestGateway.Reading(2, "100.02", minute: 15), TestGateway.Reading(3, "100.03", minute: 30), TestGateway.Reading(4, "100.04", minute: 45));
        var result = await _gateway.PublishAsync(PacketKind.Up, up, retain: false);
        Assert.True(result.IsSuccess, $"{result.ReasonCode} {result.ReasonString}");
    }
}
