using System.Net;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>The technician's view from the enterprise side: `gateways show` and GET /admin/gateways/{gw}.</summary>
public sealed class CommissioningTests : IAsyncLifetime
{
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Gateways_show_prints_the_status_and_each_points_last_value()
    {
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        Assert.True((await _gateway.PublishAsync(PacketKind.Status, _gateway.SignStatus(1, GatewayState.Online, will: 0), retain: true)).IsSuccess);
        Assert.True((await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(2,
            TestGateway.Reading(1, "100.01"), TestGateway.Reading(2, "230.4", point: "02010100"), TestGateway.Reading(3, "100.02", minute: 15)))).IsSuccess);
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 3, "the readings stored");

        var (exit, output, error) = await CliAsync("gateways", "show", TestKeys.Gateway1);
        var (unknownExit, _, unknownError) = await CliAsync("gateways", "show", "gw-9999");

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Contains("gateway gw-0001: online", output, StringComparison.Ordinal);
        Assert.Contains("firmware 0.4.1", output, StringComparison.Ordinal);
        Assert.Contains("clock synchronized", output, StringComparison.Ordinal);
        Assert.Contains("run LED: steady", output, StringComparison.Ordinal);
        Assert.Contains("000012345678/00010000 = 100.02 kWh at ", output, StringComparison.Ordinal);
        Assert.Contains("000012345678/02010100 = 230.4 kWh at ", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, unknownExit);
        Assert.Contains("404 gateway gw-9999 has sent nothing yet", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_reporting_an_unsynchronized_clock_gets_the_receivers_signed_time_once_per_interval()
    {
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password, subscribeDown: true)).ResultCode);
        await Eventually.Until(() => _harness.Receiver!.Link.IsReady(TestKeys.Gateway1), "the gateway subscribed to its commands");

        Assert.True((await _gateway.PublishAsync(PacketKind.Status, _gateway.SignStatus(1, GatewayState.Online, will: 0, synced: false), retain: true)).IsSuccess);
        var command = await _gateway.Received.Reader.ReadAsync(Ct);
        Assert.True((await _gateway.PublishAsync(PacketKind.Status, _gateway.SignStatus(2, GatewayState.Online, will: 0, synced: false), retain: true)).IsSuccess);
        Assert.True((await _gateway.PublishAsync(PacketKind.Status, _gateway.SignStatus(3, GatewayState.Online, will: 0, synced: true), retain: true)).IsSuccess);
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM packets WHERE kind = 'status'") == 3, "the statuses stored");

        var verifier = new PacketVerifier(EdgeMeter.Receiver.Keys.ReceiverKeyStore.FromEntries(ReceiverTestKeys.All), new Common.Crypto.DotNetPacketMac(), 1024);
        var bytes = System.Buffers.BuffersExtensions.ToArray(command.Payload);
        Assert.Equal(PacketError.None, verifier.Verify(bytes, 0, bytes.Length, TestKeys.Gateway1, PacketKind.Down, DateTime.UtcNow));
        var received = new GatewayCommand();
        verifier.Packet.GetCommand(received);
        Assert.Equal("set-time", received.Name);
        Assert.Equal(("status", "1"), (received.Arguments[0].Name, received.Arguments[0].Value));
        Assert.True(received.ExpiresUtc - verifier.Packet.CreatedUtc <= TimeSpan.FromSeconds(61), "a short time to live");
        Assert.Equal(1, _harness.Count("SELECT COUNT(*) FROM commands WHERE name = 'set-time' AND requested_by = 'receiver:time'"));
    }

    [Fact]
    public async Task Gateways_set_config_sends_the_largest_configuration_and_reports_the_gateways_reply()
    {
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password, subscribeDown: true)).ResultCode);
        await Eventually.Until(() => _harness.Receiver!.Link.IsReady(TestKeys.Gateway1), "the gateway subscribed to its commands");
        var file = Path.Combine(_harness.Directory, "gateway.json");
        var configuration = TestConfigurations.Largest(TestKeys.Gateway1);
        await File.WriteAllTextAsync(file, configuration, Ct);

        var sending = CliAsync("gateways", "set-config", "--wait", "30", TestKeys.Gateway1, file);
        var delivered = await _gateway.Received.Reader.ReadAsync(Ct);
        var bytes = System.Buffers.BuffersExtensions.ToArray(delivered.Payload);
        var verifier = new PacketVerifier(EdgeMeter.Receiver.Keys.ReceiverKeyStore.FromEntries(ReceiverTestKeys.All), new Common.Crypto.DotNetPacketMac(), PacketLimits.MaxDownPacketBytes, PacketLimits.MaxCommandTokens);
        Assert.Equal(PacketError.None, verifier.Verify(bytes, 0, bytes.Length, TestKeys.Gateway1, PacketKind.Down, DateTime.UtcNow));
        var received = new GatewayCommand();
        verifier.Packet.GetCommand(received);
        Assert.Equal(("set-config", "config", configuration), (received.Name, received.Arguments[0].Name, received.Arguments[0].Value));
        await _gateway.PublishAsync(PacketKind.Reply, _gateway.SignReply(5, verifier.Packet.Sequence, CommandResult.Ok, "restarting into the new configuration"));
        var (exit, output, error) = await sending;

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Contains("queued set-config for gw-0001", output, StringComparison.Ordinal);
        Assert.Contains("ok: restarting into the new configuration", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateways_set_config_refuses_a_file_the_gateway_would_refuse_or_of_another_gateway_before_sending()
    {
        await _harness.StartAsync();
        var file = Path.Combine(_harness.Directory, "gateway.json");
        await File.WriteAllTextAsync(file, TestConfigurations.Largest(TestKeys.Gateway1).Replace("\"unit\":7,", "\"unit\":700,", StringComparison.Ordinal), Ct);
        var (badExit, _, badError) = await CliAsync("gateways", "set-config", TestKeys.Gateway1, file);
        await File.WriteAllTextAsync(file, TestConfigurations.Largest("gw-0002"), Ct);
        var (otherExit, _, otherError) = await CliAsync("gateways", "set-config", TestKeys.Gateway1, file);

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (badExit, otherExit));
        Assert.Contains("the gateway would refuse it: $.meters[6].unit", badError, StringComparison.Ordinal);
        Assert.Contains("is the configuration of gw-0002, not gw-0001", otherError, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Count("SELECT COUNT(*) FROM commands"));
    }

    [Theory]
    [InlineData("""[{"id":"m1","online":false},{"id":"m2","online":true}]""", true, "run LED: 2 blinks (1 of 2 meters silent)")]
    [InlineData("""[{"id":"m1","online":false}]""", true, "run LED: 1 blink (no meter answers)")]
    [InlineData("""[{"id":"m1","online":true}]""", false, "run LED: 5 blinks (clock not set)")]
    public void The_report_names_the_code_the_gateways_run_led_blinks(string meters, bool synced, string expected)
    {
        var status = $$"""{"fw":"0.4.1","synced":{{(synced ? "true" : "false")}},"meters":{{meters}}}""";
        var gateway = System.Text.Json.JsonDocument.Parse(
            $$"""{"gateway":"gw-0001","state":"online","lastSeen":"2026-12-05T10:00:00Z","readyForCommands":true,"points":[],"status":{{status}}}""").RootElement;
        var output = new StringWriter();

        CommissioningReport.Write(gateway, output);

        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> CliAsync(params string[] args)
    {
        var tokenFile = Path.Combine(_harness.Directory, "admin.token");
        await File.WriteAllTextAsync(tokenFile, ReceiverHarness.AdminToken, Ct);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync([.. args, "--url", _harness.Receiver!.AdminAddress.ToString(), "--token-file", tokenFile], output, error, TextReader.Null);
        return (exit, output.ToString(), error.ToString());
    }
}
