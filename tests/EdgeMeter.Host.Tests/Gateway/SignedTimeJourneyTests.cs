using System.Text.Json;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Pc.Runtime;
using EdgeMeter.Receiver;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>
/// A gateway on a network with no NTP server: its clock starts in 1970, it says so in its status, and the real
/// receiver's signed set-time, verified by the gateway core's command processor, sets it.
/// </summary>
public sealed class SignedTimeJourneyTests
{
    private const string Enterprise = "91530100MA6NXKB7X1";
    private const string Password = "gateway-broker-password";

    [Fact]
    public async Task A_gateway_without_ntp_gets_its_clock_from_the_receivers_signed_time()
    {
        await using var rig = new GatewayRig();
        await using var receiver = await ReceiverApp.StartAsync(ReceiverOptionsFor(rig.Directory), cancellation: TestContext.Current.CancellationToken);
        var config = GatewayConfigFor(rig, receiver.BrokerPort!.Value);
        var platform = new UnsyncedPlatform(new PcGatewayPlatform(new GatewayData(rig.DataPath), rig.Keys, "gw-test"));
        using var runtime = new GatewayRuntime(config, platform);
        Assert.Equal(1970, platform.Clock.UtcNow.Year);

        runtime.Start();
        await Eventually.Until(() => platform.ClockSetTo is not null, "the receiver's set-time to set the gateway's clock", timeoutSeconds: 30);

        Assert.InRange((platform.ClockSetTo!.Value - DateTime.UtcNow).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.InRange((platform.Clock.UtcNow - DateTime.UtcNow).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
        using var admin = new HttpClient { BaseAddress = receiver.AdminAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "journey-admin-token-0123");
        await Eventually.Until(() => Commands(admin).Any(c => c.Name == "set-time" && c.Result == "ok"), "the gateway's reply to set-time", timeoutSeconds: 30);
        runtime.Stop();
    }

    private static List<(string Name, string? Result)> Commands(HttpClient admin)
    {
        using var document = JsonDocument.Parse(admin.GetStringAsync("admin/gateways/gw-test/commands").GetAwaiter().GetResult());
        return document.RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("result").ValueKind == JsonValueKind.String ? c.GetProperty("result").GetString() : null))
            .ToList();
    }

    private static ReceiverOptions ReceiverOptionsFor(string directory)
    {
        var keyFile = Path.Combine(directory, "receiver-keys.json");
        KeyFile.Write(keyFile, [new KeyEntry("gw-test", 1, GatewayRig.Key)]);
        return new ReceiverOptions
        {
            Store = { Path = Path.Combine(directory, "receiver.db") },
            Keys = { File = keyFile, ReloadSeconds = 1 },
            Ingest = { Mode = IngestMode.Embedded, Embedded = { Address = "127.0.0.1", Port = 0 } },
            Gateways = [new GatewayOptions { Id = "gw-test", Enterprise = Enterprise, Password = Password }],
            Enterprises = [new EnterpriseOptions { Code = Enterprise }],
            Admin = { Urls = "http://127.0.0.1:0", Tokens = [new AdminTokenOptions { Name = "operator", Token = "journey-admin-token-0123" }], AuditLog = Path.Combine(directory, "audit.log") },
        };
    }

    private static GatewayConfig GatewayConfigFor(GatewayRig rig, int brokerPort)
    {
        var json = rig.ConfigJson(brokerPort).Replace(
            $"\"mqtt\":{{\"host\":\"127.0.0.1\",\"port\":{brokerPort}}}",
            $"\"mqtt\":{{\"host\":\"127.0.0.1\",\"port\":{brokerPort},\"username\":\"gw-test\",\"password\":\"{Password}\"}}",
            StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        return GatewayConfigReader.Read(bytes, bytes.Length, out var problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    /// <summary>The PC platform with a board's clock: 1970 until something sets it.</summary>
    private sealed class UnsyncedPlatform(PcGatewayPlatform pc) : IGatewayPlatform, IClock
    {
        private TimeSpan _offset = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UtcNow;

        public DateTime? ClockSetTo { get; private set; }

        public IClock Clock => this;

        public DateTime UtcNow => DateTime.UtcNow + _offset;

        public long MonotonicMilliseconds => pc.Clock.MonotonicMilliseconds;

        public IPacketMac Mac => pc.Mac;

        public IFlashFileSystem BufferFiles => pc.BufferFiles;

        public IFlashFileSystem StateFiles => pc.StateFiles;

        public string FirmwareVersion => pc.FirmwareVersion;

        public long FreeMemory => pc.FreeMemory;

        public IBusActivity BusActivity => pc.BusActivity;

        public void Sleep(int milliseconds) => pc.Clock.Sleep(milliseconds);

        public string? SetClock(DateTime utc)
        {
            _offset = utc - DateTime.UtcNow;
            ClockSetTo = utc;
            return null;
        }

        public byte[]? Key(int keyVersion) => pc.Key(keyVersion);

        public IMeterLink OpenBus(BusSettings bus) => pc.OpenBus(bus);

        public IMqttTransport OpenMqtt(GatewayConfig config) => pc.OpenMqtt(config);

        public void RequestRestart(string reason) => pc.RequestRestart(reason);

        public string? StageConfig(byte[] json, int count) => pc.StageConfig(json, count);

        public string? UpdateFirmware(string url, string sha256, string signature) => pc.UpdateFirmware(url, sha256, signature);
    }
}
