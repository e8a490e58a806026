using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Runtime;

/// <summary>
/// Everything the gateway core needs from the machine it runs on: the ESP32 adapters in EdgeMeter.Firmware, or
/// the PC's in EdgeMeter.Pc. The core never touches a device API itself.
/// </summary>
public interface IGatewayPlatform : IClockSetter
{
    IClock Clock { get; }

    IPacketMac Mac { get; }

    /// <summary>Where the reading buffer keeps its segments and cursor.</summary>
    IFlashFileSystem BufferFiles { get; }

    /// <summary>Small state that must survive power loss: packet and command sequence numbers.</summary>
    IFlashFileSystem StateFiles { get; }

    string FirmwareVersion { get; }

    /// <summary>Free heap in bytes, or -1 where unknown.</summary>
    long FreeMemory { get; }

    /// <summary>The provisioned HMAC key of this gateway's key version; null when not provisioned.</summary>
    byte[]? Key(int keyVersion);

    IMeterLink OpenBus(BusSettings bus);

    /// <summary>Told of every meter transaction's end, on the bus threads.</summary>
    IBusActivity BusActivity { get; }

    IMqttTransport OpenMqtt(GatewayConfig config);

    /// <summary>Restart the whole gateway (device: reboot; PC: restart the runtime) once the reply has gone out.</summary>
    void RequestRestart(string reason);

    /// <summary>Store <paramref name="json"/> as the candidate configuration, to be tried at the next start.</summary>
    string? StageConfig(byte[] json, int count);

    string? UpdateFirmware(string url, string sha256, string signature);
}
