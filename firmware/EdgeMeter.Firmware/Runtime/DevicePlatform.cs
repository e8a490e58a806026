using System;
using System.IO;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Links;
using EdgeMeter.Firmware.Provisioning;
using EdgeMeter.Firmware.Update;
using EdgeMeter.Firmware.Uplink;

namespace EdgeMeter.Firmware.Runtime;

/// <summary>The core's <see cref="IGatewayPlatform"/> on the ESP32: each member hands over to one device adapter.</summary>
public sealed class DevicePlatform : IGatewayPlatform
{
    private readonly DeviceServices _services;
    private readonly GatewayKey _key;
    private readonly object _sync = new object();
    private string? _restartReason;

    public DevicePlatform(DeviceServices services, GatewayKey key)
    {
        _services = services;
        _key = key;
        BufferFiles = services.OpenBufferStorage();
        StateFiles = new LittleFsFileSystem(DevicePaths.StateDirectory);
        FirmwareVersion = typeof(DevicePlatform).Assembly.GetName().Version.ToString();
    }

    public IClock Clock => _services.Clock;

    public string? SetClock(DateTime utc) =>
        _services.Clock.SetUtc(utc) ? null : "the runtime refused the time " + Core.Packet.PacketText.FormatTime(utc);

    /// <summary>The bus-activity LED; nothing when the board has no LEDs in the pin table.</summary>
    public IBusActivity BusActivity => _services.Leds != null ? _services.Leds : NoBusActivity.Instance;

    public IPacketMac Mac => _services.Mac;

    public IFlashFileSystem BufferFiles { get; }

    public IFlashFileSystem StateFiles { get; }

    public string FirmwareVersion { get; }

    /// <summary>Free managed heap after a collection (nanoFramework's GC.Run).</summary>
    public long FreeMemory => nanoFramework.Runtime.Native.GC.Run(false);

    /// <summary>Why the runtime asked for a restart (reboot, set-config, firmware-update), or null.</summary>
    public string? RestartReason
    {
        get
        {
            lock (_sync)
            {
                return _restartReason;
            }
        }
    }

    public byte[]? Key(int keyVersion) => keyVersion == _key.KeyVersion ? _key.Key : null;

    public IMeterLink OpenBus(BusSettings bus) => bus.IsModbusTcp
        ? new SocketMeterLink(bus.ModbusTcpHost, bus.ModbusTcpPort)
        : _services.OpenBus(bus.Uart, bus.Baud, bus.Parity, bus.StopBits, bus.TxPin, bus.RxPin, bus.DePin);

    public IMqttTransport OpenMqtt(GatewayConfig config)
    {
        var mqtt = config.Mqtt;
        var endpoint = new MqttEndpoint(mqtt.Host, mqtt.Port, config.GatewayId)
        {
            Username = mqtt.Username.Length > 0 ? mqtt.Username : null,
            Password = mqtt.Password.Length > 0 ? mqtt.Password : null,
            UseTls = mqtt.Tls,
            KeepAliveSeconds = mqtt.KeepAliveSeconds,
        };
        return _services.CreateMqttTransport(endpoint, mqtt.CaFile, mqtt.ClientCertFile);
    }

    public void RequestRestart(string reason)
    {
        lock (_sync)
        {
            _restartReason = reason;
        }
    }

    public string? StageConfig(byte[] json, int count)
    {
        try
        {
            DeviceConfigFiles.StageCandidate(json, count);
            return null;
        }
        catch (Exception failure)
        {
            return "cannot store the configuration: " + failure.Message;
        }
    }

    public string? UpdateFirmware(string url, string sha256, string signature)
    {
        var ca = File.Exists(DevicePaths.UpdateCaFile) ? File.ReadAllText(DevicePaths.UpdateCaFile) : null;
        var problem = new FirmwareUpdater(Mac, ca).Stage(url, sha256, signature);
        if (problem == null)
        {
            RequestRestart("firmware-update");
        }

        return problem;
    }
}
