using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.PlatformSim;
using EdgeMeter.PlatformSim.Faults;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>Gateways -> embedded broker -> store -> HTTP platforms (simulators) and an MQTT platform broker.</summary>
public sealed class EmbeddedBrokerTests : IAsyncLifetime
{
    private const string Energy = "000000000112000001";
    private const string Flow = "010230010233000105";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly PlatformBroker _platformBroker = new();
    private readonly List<RunningPlatformSim> _sims = [];
    private readonly TestGateway _gateway1 = new(TestKeys.Gateway1, TestKeys.Gateway1V1);
    private readonly TestGateway _gateway2 = new(TestKeys.Gateway2, TestKeys.Gateway2V1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _gateway1.DisposeAsync();
        await _gateway2.DisposeAsync();
        await _harness.DisposeAsync();
        await _platformBroker.DisposeAsync();
        foreach (var sim in _sims)
        {
            await sim.DisposeAsync();
        }
    }

    [Fact]
    public async Task Indicators_reach_every_routed_platform_once_and_the_mqtt_platform_gets_the_signed_packets_unchanged()
    {
        var provincial = await StartSimAsync("provincial");
        var national = await StartSimAsync("national");
        await _platformBroker.StartAsync();
        _harness.AddHttpPlatform("provincial", provincial, batch: true);
        _harness.AddHttpPlatform("national", national, batch: false);
        _harness.AddMqttPlatform("provincial-mqtt", _platformBroker.Port);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial", "national", "provincial-mqtt");
        _harness.Route(ReceiverHarness.Enterprise2, "national");
        _harness.AddItem(Energy, TestKeys.Gateway1, "000012345678", "00010000");
        _harness.AddItem(Flow, TestKeys.Gateway2, "modbus:3", "hr:40100", ItemKind.Average, ration: "0.0341", unit: "m3/h");
        var receiver = await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);
        await ConnectAsync(_gateway2, ReceiverHarness.Gateway2Password);

        // Energy at 07:00, 07:15, 07:30 and 07:45 Beijing (the last two also re-sent after a "reboot"); one unmapped point.
        var status = _gateway1.SignStatus(1, GatewayState.Online, will: 0);
        var up2 = _gateway1.SignReadings(2, TestGateway.Reading(1, "100.01"), TestGateway.Reading(2, "5", point: "00020000"), TestGateway.Reading(3, "100.02", minute: 15, flags: ReadingFlags.Estimated));
        var up3 = _gateway1.SignReadings(3, TestGateway.Reading(4, "100.030", minute: 30));
        var rebootResend = _gateway1.SignReadings(1002, TestGateway.Reading(4, "100.030", minute: 30), TestGateway.Reading(5, "100.04", minute: 45));
        var gw2Up = _gateway2.SignReadings(1, TestGateway.Reading(10, "-0.5", "modbus:3", "hr:40100"), TestGateway.Reading(11, "12345678901234.5678", "modbus:3", "hr:40100", minute: 15));
        await PublishOkAsync(_gateway1, PacketKind.Status, status, retain: true);
        await PublishOkAsync(_gateway1, PacketKind.Up, up2);
        await PublishOkAsync(_gateway1, PacketKind.Up, up3);
        await PublishOkAsync(_gateway1, PacketKind.Up, up3);
        await PublishOkAsync(_gateway1, PacketKind.Up, rebootResend);
        await PublishOkAsync(_gateway2, PacketKind.Up, gw2Up);

        // The readings are of 2025: every period with a value is past its wall-clock limit, so final at once.
        var seven = TestGateway.Now.AddHours(-1);
        string[] energyKeys = [.. new[] { 0, 15, 30 }.Select(m => ReceiverHarness.KeyOf(Energy, StatType.RealTime, seven.AddMinutes(m)))];
        string[] flowKeys =
        [
            .. new[] { 0, 15 }.Select(m => ReceiverHarness.KeyOf(Flow, StatType.RealTime, seven.AddMinutes(m), ReceiverHarness.Enterprise2)),
            ReceiverHarness.KeyOf(Flow, StatType.Day, TestGateway.Now.AddHours(-8), ReceiverHarness.Enterprise2),
        ];
        await Eventually.Until(() => provincial.Records.Count >= 3 && national.Records.Count >= 6 && _platformBroker.Published.Count >= 4, "all deliveries");
        await Eventually.Until(() => receiver.Tiers.All(tier => tier.Lag() == 0), "every tier caught up");

        Assert.Equal(energyKeys.Order(), provincial.Records.Select(r => r.IdempotencyKey!).Order());
        Assert.Equal(energyKeys.Concat(flowKeys).Order(), national.Records.Select(r => r.IdempotencyKey!).Order());
        var byKey = national.Records.ToDictionary(r => r.IdempotencyKey!);
        var energy0730 = byKey[energyKeys[2]];
        Assert.Equal(("0.010", Energy, ReceiverHarness.Enterprise1, "2025-06-01 07:30:00", "1.229", "0", "1"),
            (energy0730.DataValue, energy0730.DataCode, energy0730.EnterpriseCode, energy0730.StatDate, energy0730.ConvertRation, energy0730.StatType, energy0730.Valid));
        // The 07:15 reading is "estimated" by the gateway, so 07:15 is interpolated between 07:00 and 07:30: 100.020.
        Assert.Equal("0.010", byKey[energyKeys[0]].DataValue);
        var flow0715 = byKey[flowKeys[1]];
        Assert.Equal(("12345678901234.5678", Flow, ReceiverHarness.Enterprise2, "0.0341"), (flow0715.DataValue, flow0715.DataCode, flow0715.EnterpriseCode, flow0715.ConvertRation));
        Assert.Equal(("1", "2025-06-01 00:00:00", "6172839450617.03390"), (byKey[flowKeys[2]].StatType, byKey[flowKeys[2]].StatDate, byKey[flowKeys[2]].DataValue));

        // The MQTT platform: the gateway's own packets, byte for byte, in order; status retained; no re-send-only packet.
        (string Topic, string Payload, bool Retain)[] relayed =
            [("edgemeter/v1/gw-0001/status", status, true), ("edgemeter/v1/gw-0001/up", up2, false), ("edgemeter/v1/gw-0001/up", up3, false), ("edgemeter/v1/gw-0001/up", rebootResend, false)];
        Assert.Equal(relayed, _platformBroker.Published.ToArray());

        var metrics = receiver.Metrics.Snapshot();
        Assert.Equal((7L, 1L, 1L), (metrics.ReadingsStored, metrics.PacketsDuplicate, metrics.ReadingsDuplicate));
        Assert.Equal(0L, metrics.Tiers["national"].DeadLettered);

        using var admin = _harness.Admin(token: null);
        var page = await admin.GetStringAsync("metrics", Ct);
        Assert.Contains("edgemeter_relay_delivered_total{tier=\"provincial\"} 3\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_relay_delivered_total{tier=\"national\"} 6\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_relay_delivered_total{tier=\"provincial-mqtt\"} 4\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_relay_lag_rows{tier=\"national\"} 0\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_packets_duplicate_total 1\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_unmapped_readings_total 1\n", page, StringComparison.Ordinal);
        Assert.Contains("edgemeter_indicators_final_total{stat_type=\"0\"} 5\n", page, StringComparison.Ordinal);
        Assert.Matches("edgemeter_store_checkpoints_total\\{kind=\"background\"\\} [0-9]+\nedgemeter_store_checkpoints_total\\{kind=\"restart\"\\} [0-9]+\n", page);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("healthz", Ct)).StatusCode);

        // The unmapped point is listed, and every value traces back to the signed readings it came from.
        using var operatorApi = _harness.Admin();
        var unmapped = JsonDocument.Parse(await operatorApi.GetStringAsync("admin/unmapped", Ct)).RootElement;
        Assert.Equal(("gw-0001", "00020000", 1), (unmapped[0].GetProperty("gateway").GetString(), unmapped[0].GetProperty("point").GetString(), unmapped[0].GetProperty("readings").GetInt32()));
        var trace = JsonDocument.Parse(await operatorApi.GetStringAsync($"admin/indicators/trace?dataCode={Energy}&statType=0&statDate=2025-06-01%2007:30:00", Ct)).RootElement;
        Assert.Equal([(4L, "100.030"), (5L, "100.04")], trace.EnumerateArray().Select(r => (r.GetProperty("n").GetInt64(), r.GetProperty("value").GetString())).OrderBy(r => r.Item1).ToArray());
        var dayTrace = JsonDocument.Parse(await operatorApi.GetStringAsync(
            $"admin/indicators/trace?enterprise={ReceiverHarness.Enterprise2}&dataCode={Flow}&statType=1&statDate=2025-06-01%2000:00:00", Ct)).RootElement;
        Assert.Equal([10L, 11L], dayTrace.EnumerateArray().Select(r => r.GetProperty("n").GetInt64()).Order().ToArray()); // the readings averaged
    }

    [Fact]
    public async Task Foreign_topic_tampered_replayed_and_oversized_packets_are_never_stored_or_relayed()
    {
        await _platformBroker.StartAsync();
        _harness.AddMqttPlatform("provincial-mqtt", _platformBroker.Port);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial-mqtt");
        _harness.Route(ReceiverHarness.Enterprise2, "provincial-mqtt");
        _harness.AddItem(Energy, TestKeys.Gateway1, "000012345678", "00010000");
        var receiver = await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);
        await ConnectAsync(_gateway2, ReceiverHarness.Gateway2Password);
        await using var platform = new TestGateway("svc.platform-test-1", TestKeys.Gateway2V1);
        Assert.Equal(MqttClientConnectResultCode.Success, (await platform.ConnectAsync(_harness.BrokerPort, ReceiverHarness.PlatformPassword, username: ReceiverHarness.PlatformUser)).ResultCode);
        await platform.Client.SubscribeAsync("edgemeter/v1/+/up", MqttQualityOfServiceLevel.AtLeastOnce, Ct);

        // gw-0002 on gw-0001's topic, with a packet gw-0001 really signed: refused, whatever the signature.
        var genuine = _gateway1.SignReadings(5, TestGateway.Reading(50, "1.0"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await _gateway2.PublishAsync(_gateway1.UpTopic, Encoding.ASCII.GetBytes(genuine))).ReasonCode);

        // Tampered (one character of the payload changed), oversized, then the genuine packet, a redelivery and a forgery of its seq.
        var tampered = genuine[..60] + (genuine[60] == 'A' ? 'B' : 'A') + genuine[61..];
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await _gateway1.PublishAsync(PacketKind.Up, tampered)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, (await _gateway1.PublishAsync(_gateway1.UpTopic, Encoding.ASCII.GetBytes(new string('A', 5000)))).ReasonCode);
        await PublishOkAsync(_gateway1, PacketKind.Up, genuine);
        await PublishOkAsync(_gateway1, PacketKind.Up, genuine);
        var forgedSeq = _gateway1.SignReadings(5, TestGateway.Reading(50, "9999.0"));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, (await _gateway1.PublishAsync(PacketKind.Up, forgedSeq)).ReasonCode);

        // MQTT 3.1.1 has no reason codes: a foreign publish closes the connection.
        await using (var old = new TestGateway(TestKeys.Gateway2, TestKeys.Gateway2V1))
        {
            await _gateway2.DisposeAsync();

            // The same client id again: only once the broker has let the first connection go, or the new one may be
            // taken for a takeover and its publish lost before the ACL sees it.
            await Eventually.Until(() => receiver.MetricsText().Contains("edgemeter_gateways_connected 1\n", StringComparison.Ordinal), "gw-0002's first connection gone");
            Assert.Equal(MqttClientConnectResultCode.Success, (await old.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway2Password, MqttProtocolVersion.V311)).ResultCode);
            await Assert.ThrowsAnyAsync<Exception>(() => old.PublishAsync(_gateway1.UpTopic, Encoding.ASCII.GetBytes(genuine)));
            await Eventually.Until(() => !old.Client.IsConnected, "the 3.1.1 connection to close");
        }

        // A platform account reads, never writes, and never reads commands.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await platform.PublishAsync(_gateway1.UpTopic, Encoding.ASCII.GetBytes(genuine))).ReasonCode);
        var down = await platform.Client.SubscribeAsync("edgemeter/v1/+/down", MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, down.Items.Single().ResultCode);

        await Eventually.Until(() => _platformBroker.Published.Count == 1 && platform.Received.Reader.Count == 1, "the genuine packet everywhere");
        await Eventually.Until(() => receiver.Tiers.All(tier => tier.Lag() == 0), "every tier caught up");
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM samples") == 1, "the genuine reading among the indicator samples");
        Assert.Equal(["1.0"], _harness.Strings("SELECT val FROM samples"));
        Assert.Equal(genuine, _platformBroker.Published.Single().Payload);
        Assert.True(platform.Received.Reader.TryRead(out var seen));
        Assert.Equal(genuine, Encoding.ASCII.GetString(seen!.Payload));
        Assert.Equal(1, _harness.Count("SELECT COUNT(*) FROM packets"));
        Assert.Equal(["AclDenied", "AclDenied", "AclDenied", "BadSignature", "Oversized", "ReplayConflict"], _harness.Strings("SELECT error FROM quarantine ORDER BY error"));
        Assert.Equal(1, receiver.Metrics.Snapshot().ReplayAlerts);

        // The same totals through the admin API, as the demo reads them.
        using var admin = _harness.Admin();
        var totals = JsonDocument.Parse(await admin.GetStringAsync("admin/store", Ct)).RootElement;
        Assert.Equal(1, totals.GetProperty("packets").GetInt64());
        Assert.Equal(1, totals.GetProperty("readings").GetInt64());
        Assert.Equal(6, totals.GetProperty("quarantined").GetInt64());
        Assert.Equal(0, totals.GetProperty("deadLetters").GetInt64());
    }

    [Fact]
    public async Task Wrong_credentials_and_borrowed_client_ids_are_refused()
    {
        await _harness.StartAsync();
        await using var impostor = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        await using var thief = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        await using var anonymous = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await impostor.ConnectAsync(_harness.BrokerPort, "wrong")).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid,
            (await thief.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway2Password, username: TestKeys.Gateway2)).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await anonymous.ConnectAsync(_harness.BrokerPort, password: null)).ResultCode);
        Assert.Equal(3, _harness.Receiver!.Metrics.Snapshot().ConnectionsRefused);
    }

    [Fact]
    public async Task A_platform_outage_loses_nothing_and_holds_no_other_tier_up()
    {
        var provincial = await StartSimAsync("provincial");
        var national = await StartSimAsync("national");
        _harness.AddHttpPlatform("provincial", provincial, batch: true);
        _harness.AddHttpPlatform("national", national, batch: false);
        _harness.AddMqttPlatform("provincial-mqtt", _platformBroker.Port);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial", "national", "provincial-mqtt");
        _harness.AddItem(Energy, TestKeys.Gateway1, "000012345678", "00010000");
        provincial.Faults.Set(new FaultSettings { Down = true });
        national.Faults.Set(new FaultSettings { Status5xx = 3 });
        var receiver = await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);

        // Every 5 minutes from 07:00 to 09:25 Beijing: nine quarter hours (07:00 to 09:00) have both boundaries read.
        for (var seq = 1; seq <= 10; seq++)
        {
            var first = (seq - 1) * 3;
            var minute = (seq - 1) * 15;
            await PublishOkAsync(_gateway1, PacketKind.Up, _gateway1.SignReadings(
                seq, TestGateway.Reading(first + 1, $"{seq}.1", minute: minute), TestGateway.Reading(first + 2, $"{seq}.2", minute: minute + 5), TestGateway.Reading(first + 3, $"{seq}.3", minute: minute + 10)));
        }

        // The national platform gets everything (after its 503s) while the provincial one and the MQTT broker are down.
        await Eventually.Until(() => national.Records.Count == 9, "national delivery during the provincial outage");
        await Eventually.Until(() => receiver.Metrics.Snapshot().Tiers["provincial"].Failures >= 2 && receiver.Metrics.Snapshot().Tiers["provincial-mqtt"].Failures >= 2, "failed attempts");
        Assert.Empty(provincial.Records);
        Assert.Equal(9, receiver.RelayLag("provincial"));
        Assert.Equal(10, receiver.RelayLag("provincial-mqtt"));
        Assert.True(receiver.Metrics.Snapshot().Tiers["national"].Failures >= 1);
        using (var admin = _harness.Admin(token: null))
        {
            var health = await admin.GetAsync("healthz", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("\"failingGateways\":1", await health.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        provincial.Faults.Clear();
        await _platformBroker.StartAsync();
        await Eventually.Until(() => provincial.Records.Count == 9 && _platformBroker.Published.Count == 10, "delivery after recovery");
        await Eventually.Until(() => receiver.Tiers.All(tier => tier.Lag() == 0), "every tier caught up");

        var expected = Enumerable.Range(0, 9).Select(i => ReceiverHarness.KeyOf(Energy, StatType.RealTime, TestGateway.Now.AddHours(-1).AddMinutes(15 * i))).Order().ToArray();
        Assert.Equal(expected, provincial.Records.Select(r => r.IdempotencyKey!).Order());
        Assert.Equal(expected, national.Records.Select(r => r.IdempotencyKey!).Order());
        Assert.All(national.Records, r => Assert.Equal("1.0", r.DataValue));
        Assert.Equal(10, _platformBroker.Published.Select(p => p.Payload).Distinct().Count());
    }

    [Fact]
    public async Task A_command_is_signed_delivered_and_its_reply_recorded()
    {
        await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password, subscribeDown: true);
        using var admin = _harness.Admin();
        using var anonymous = _harness.Admin(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("admin/gateways/gw-0001/commands", new { name = "poll-now" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("admin/gateways/gw-0099/commands", new { name = "poll-now" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("admin/gateways/gw-0001/commands", new { name = "poll now" }, Ct)).StatusCode);
        var queued = await admin.PostAsJsonAsync("admin/gateways/gw-0001/commands", new { name = "poll-now", args = new { meter = "000012345678" }, ttlSeconds = 120 }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var command = JsonDocument.Parse(await queued.Content.ReadAsStringAsync(Ct)).RootElement;
        var id = command.GetProperty("id").GetInt64();
        var seq = command.GetProperty("sequence").GetInt64();

        // The gateway gets a packet signed with its newest key (version 2) that its verifier accepts.
        var delivered = await _gateway1.Received.Reader.ReadAsync(Ct);
        Assert.Equal("edgemeter/v1/gw-0001/down", delivered.Topic);
        var verifier = new PacketVerifier(ReceiverKeyStore.FromEntries(ReceiverTestKeys.All), new DotNetPacketMac());
        Assert.Equal(PacketError.None, verifier.Verify(delivered.Payload.ToArray(), 0, (int)delivered.Payload.Length, "gw-0001", PacketKind.Down, DateTime.UtcNow));
        Assert.Equal((2, seq), (verifier.Packet.KeyVersion, verifier.Packet.Sequence));
        var received = new GatewayCommand();
        verifier.Packet.GetCommand(received);
        Assert.Equal(("poll-now", "meter", "000012345678"), (received.Name, received.Arguments[0].Name, received.Arguments[0].Value));

        await PublishOkAsync(_gateway1, PacketKind.Reply, _gateway1.SignReply(100, seq, CommandResult.Ok, "polled 1 point"));
        await Eventually.Until(() => State(admin, id) == "replied", "the reply to be recorded");
        var answered = JsonDocument.Parse(await admin.GetStringAsync($"admin/gateways/gw-0001/commands/{id}", Ct)).RootElement;
        Assert.Equal(("ok", "polled 1 point", "operator"), (answered.GetProperty("result").GetString(), answered.GetProperty("message").GetString(), answered.GetProperty("requestedBy").GetString()));

        await Eventually.Until(() => _harness.Receiver!.Metrics.Snapshot() is { CommandsQueued: 1, CommandsSent: 1, Replies: 1 }, "the command counters");
        Assert.Null(AuditLog.Verify(_harness.Options.Admin.AuditLog, out var lines));
        Assert.Equal(4, lines);
        var audit = File.ReadAllText(_harness.Options.Admin.AuditLog);
        Assert.Contains("\"actor\":\"anonymous\"", audit, StringComparison.Ordinal);
        Assert.Contains($"\"action\":\"command.queue\",\"target\":\"gw-0001\",\"outcome\":\"ok\",\"detail\":\"command {id} seq {seq} poll-now\"", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(ReceiverHarness.AdminToken, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_will_arrives_below_the_high_water_mark_and_is_relayed_retained()
    {
        await _platformBroker.StartAsync();
        _harness.AddMqttPlatform("national-mqtt", _platformBroker.Port);
        _harness.Route(ReceiverHarness.Enterprise2, "national-mqtt");
        var receiver = await _harness.StartAsync();
        var will = _gateway2.SignStatus(50, GatewayState.Offline, will: 50);
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway2.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway2Password, will: Encoding.ASCII.GetBytes(will))).ResultCode);
        await PublishOkAsync(_gateway2, PacketKind.Status, _gateway2.SignStatus(51, GatewayState.Online, will: 50), retain: true);
        await PublishOkAsync(_gateway2, PacketKind.Up, _gateway2.SignReadings(52, TestGateway.Reading(1, "1", "modbus:3", "hr:40100")));

        _gateway2.Vanish();

        await Eventually.Until(() => _harness.Strings("SELECT state FROM gateways WHERE gw = 'gw-0002'").SequenceEqual(["offline"]), "the gateway to be offline");
        await Eventually.Until(() => _platformBroker.Published.Count == 3, "the will on the platform broker");
        Assert.Equal((will, true), (_platformBroker.Published.Last().Payload, _platformBroker.Published.Last().Retain));
        Assert.Equal(52, _harness.Count("SELECT high_water FROM gateways WHERE gw = 'gw-0002'"));
        Assert.Equal(0, receiver.Metrics.Snapshot().PacketsRejected);
    }

    [Fact]
    public async Task The_tls_listener_alone_accepts_gateways()
    {
        var certificate = Path.Combine(_harness.Directory, "receiver.pfx");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(certificate, selfSigned.Export(X509ContentType.Pfx, "pfx-password"));
        }

        _harness.Options.Ingest.Embedded.PlainEnabled = false;
        _harness.Options.Ingest.Embedded.Tls = new() { Enabled = true, Port = FreePort.Next(), CertificateFile = certificate, CertificatePassword = "pfx-password" };
        var receiver = await _harness.StartAsync();
        Assert.Null(receiver.BrokerPort);

        var connected = await _gateway1.ConnectAsync(receiver.BrokerTlsPort!.Value, ReceiverHarness.Gateway1Password, tls: true);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await PublishOkAsync(_gateway1, PacketKind.Up, _gateway1.SignReadings(1, TestGateway.Reading(1, "7.5")));
        Assert.Equal(["7.5"], _harness.Strings("SELECT val FROM readings"));
    }

    [Fact]
    public async Task A_puback_waits_for_the_commit_while_the_gateway_goes_on_publishing()
    {
        var receiver = await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);
        var (gate, held) = HoldWriter(receiver);

        var publishes = Enumerable.Range(1, 3).Select(seq => _gateway1.PublishAsync(PacketKind.Up, _gateway1.SignReadings(seq, TestGateway.Reading(seq, $"{seq}.5")))).ToList();

        // All three are read and verified although none is stored: the connection is not waiting for the store.
        await Eventually.Until(() => receiver.Metrics.Snapshot().PacketsVerified == 3, "three packets verified");
        await Task.Delay(200, Ct);
        Assert.All(publishes, publish => Assert.False(publish.IsCompleted, "a PUBACK before the commit"));
        Assert.Equal(0, _harness.Count("SELECT COUNT(*) FROM packets"));

        gate.Set();
        await held;
        gate.Dispose();
        Assert.All(await Task.WhenAll(publishes), result => Assert.True(result.IsSuccess, result.ReasonCode.ToString()));
        Assert.Equal(["1.5", "2.5", "3.5"], _harness.Strings("SELECT val FROM readings ORDER BY n"));
    }

    [Fact]
    public async Task A_qos_0_packet_has_no_puback_to_hold_and_is_stored_all_the_same()
    {
        await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);

        await _gateway1.Client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(_gateway1.UpTopic).WithPayload(_gateway1.SignReadings(1, TestGateway.Reading(1, "6.5")))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build(),
            Ct);

        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 1, "the QoS 0 packet stored");
        Assert.Equal(["6.5"], _harness.Strings("SELECT val FROM readings"));
    }

    [Fact]
    public async Task A_failed_store_sends_no_puback_and_closes_the_connection_so_the_gateway_sends_again()
    {
        var receiver = await _harness.StartAsync();
        await ConnectAsync(_gateway1, ReceiverHarness.Gateway1Password);
        var packet = _gateway1.SignReadings(1, TestGateway.Reading(1, "4.25"));
        var (gate, held) = HoldWriter(receiver);

        // SQLite: the packet's transaction is ended behind the writer's back, so its COMMIT fails.
        // PostgreSQL: the writer's connection is cut (as by a database restart); the next transaction connects again.
        var publish = _gateway1.PublishAsync(PacketKind.Up, packet);
        await Eventually.Until(() => receiver.Metrics.Snapshot().PacketsVerified == 1, "the packet verified");
        var sabotage = receiver.Store.WriteAsync(db => db.Execute(receiver.Store.Shared ? "SELECT pg_terminate_backend(pg_backend_pid())" : "COMMIT"));
        gate.Set();
        await held;
        gate.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => sabotage);

        await Assert.ThrowsAnyAsync<Exception>(() => publish);
        await Eventually.Until(() => !_gateway1.Client.IsConnected, "the connection closed");
        Assert.Equal(1, receiver.Metrics.Snapshot().StoreFailures);

        await using var again = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        await ConnectAsync(again, ReceiverHarness.Gateway1Password);
        await PublishOkAsync(again, PacketKind.Up, packet);
        Assert.Equal(["4.25"], _harness.Strings("SELECT val FROM readings"));
    }

    // Holds the store's writer inside a write of its own until the gate opens: what is queued meanwhile waits.
    private static (ManualResetEventSlim Gate, Task Held) HoldWriter(RunningReceiver receiver)
    {
        var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var held = receiver.Store.WriteAsync(_ =>
        {
            entered.Set();
            gate.Wait(Ct);
            return true;
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10), Ct), "the writer did not take the holding write");
        return (gate, held);
    }

    private static string? State(HttpClient admin, long id) =>
        JsonDocument.Parse(admin.GetStringAsync($"admin/gateways/gw-0001/commands/{id}").GetAwaiter().GetResult()).RootElement.GetProperty("state").GetString();

    private async Task<RunningPlatformSim> StartSimAsync(string name)
    {
        var sim = await ReceiverHarness.StartSimAsync(name);
        _sims.Add(sim);
        return sim;
    }

    private async Task ConnectAsync(TestGateway gateway, string password, bool subscribeDown = false)
    {
        var result = await gateway.ConnectAsync(_harness.BrokerPort, password, subscribeDown: subscribeDown);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    private static async Task PublishOkAsync(TestGateway gateway, PacketKind kind, string packet, bool retain = false)
    {
        var result = await gateway.PublishAsync(kind, packet, retain);
        Assert.True(result.IsSuccess, $"{kind} {result.ReasonCode} {result.ReasonString}");
    }
}
