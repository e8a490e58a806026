using EdgeMeter.Common.Crypto;
using EdgeMeter.Pc.Time;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Buffer;
using EdgeMeter.Pc.Uplink;

namespace EdgeMeter.Pc.Runtime;

/// <summary>The gateway core on a PC: serial or TCP links, MQTTnet, files in a data directory, .NET's HMAC.</summary>
public sealed class PcGatewayPlatform(GatewayData data, IPacketKeyStore keys, string gatewayId, string? caFile = null) : IGatewayPlatform
{
    private readonly object _gate = new();
    private string? _restartReason;

    public IClock Clock => PcClock.Current;

    public IPacketMac Mac { get; } = new DotNetPacketMac();

    public IFlashFileSystem BufferFiles { get; } = new DiskFlashFileSystem(data.BufferDirectory);

    public IFlashFileSystem StateFiles { get; } = new DiskFlashFileSystem(data.StateDirectory);

    public string FirmwareVersion { get; } = typeof(PcGatewayPlatform).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public long FreeMemory => -1;

    /// <summary>Why the runtime asked to be restarted (reboot, set-config), or null.</summary>
    public string? RestartReason
    {
        get
        {
            lock (_gate)
            {
                return _restartReason;
            }
        }
    }

    public byte[]? Key(int keyVersion) => keys.FindKey(gatewayId, keyVersion);

    public IMeterLink OpenBus(BusSettings bus) => bus.IsModbusTcp
        ? new TcpMeterLink(bus.ModbusTcpHost, bus.ModbusTcpPort, 0, 10, scheme: "modbus-tcp")
        : MeterLinks.Open(LinkAddress.Parse(bus.Link));

    public IBusActivity BusActivity => NoBusActivity.Instance;

    public IMqttTransport OpenMqtt(GatewayConfig config) => new MqttnetTransport(new MqttTransportOptions(
        config.Mqtt.Host,
        config.Mqtt.Port,
        config.GatewayId,
        config.Mqtt.Username.Length > 0 ? config.Mqtt.Username : null,
        config.Mqtt.Password.Length > 0 ? config.Mqtt.Password : null,
        config.Mqtt.Tls,
        config.Mqtt.KeepAliveSeconds,
        caFile));

    public void RequestRestart(string reason)
    {
        lock (_gate)
        {
            _restartReason = reason;
        }
    }

    public string? StageConfig(byte[] json, int count)
    {
        data.StageCandidate(json.AsSpan(0, count));
        return null;
    }

    /// <summary>A PC keeps the operating system's time (NTP, chrony): a gateway process does not set it.</summary>
    public string? SetClock(DateTime utc) => "a PC gateway keeps the operating system's clock (keep it with NTP); not set";

    /// <summary>The board's download and checks, up to the swap only a board can do (<see cref="Update.PcFirmwareUpdater"/>).</summary>
    public string? UpdateFirmware(string url, string sha256, string signature) => new Update.PcFirmwareUpdater(data).Stage(url, sha256, signature);
}
