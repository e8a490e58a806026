using System;
using System.IO;
using System.IO.Ports;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Firmware.Console;
using EdgeMeter.Firmware.Links;
using EdgeMeter.Firmware.Network;
using EdgeMeter.Firmware.Crypto;
using EdgeMeter.Firmware.Status;
using EdgeMeter.Firmware.Board;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;
using EdgeMeter.Firmware.Time;
using EdgeMeter.Firmware.Uplink;
using nanoFramework.Runtime.Native;

namespace EdgeMeter.Firmware.Runtime;

/// <summary>
/// Everything device-specific the gateway runtime needs, built from the board's pin table and the configuration's
/// values: one object the entry point creates and hands over. Each member is one adapter of a core interface.
/// </summary>
public sealed class DeviceServices
{
    private readonly long _startedAt;
    private SoftwareWatchdog? _watchdog;

    private DeviceServices(string target, BoardPins? board, string boardError)
    {
        Target = target;
        Board = board;
        BoardError = boardError;
        Clock = new DeviceClock();
        _startedAt = Clock.MonotonicMilliseconds;
        Mac = new NativePacketMac();
        Console = new CommissioningConsole();

        // An unknown provisioned board name still gets its fault blink on the LEDs of the firmware's own target.
        var ledBoard = board ?? BoardPins.ForTarget(SystemInfo.TargetName);
        if (ledBoard != null)
        {
            Leds = new StatusLeds(ledBoard.RunLed, ledBoard.ActivityLed, Clock);
            Leds.Fault = board == null;
        }

        Console.AddStatus(DeviceStatus);
    }

    /// <summary>The board name in use: the provisioned one (board.txt), else the firmware's target name.</summary>
    public string Target { get; }

    /// <summary>The board's pins; null for a board not in the table (then no bus may start and the run LED cannot show it).</summary>
    public BoardPins? Board { get; }

    /// <summary>Why <see cref="Board"/> is null ("" otherwise).</summary>
    public string BoardError { get; }

    public DeviceClock Clock { get; }

    public IPacketMac Mac { get; }

    public CommissioningConsole Console { get; }

    /// <summary>The LEDs; null when neither the provisioned board nor the firmware's target is in the table.</summary>
    public StatusLeds? Leds { get; }

    /// <summary>Identifies the board and creates the always-present adapters. Never throws for a missing or odd board.</summary>
    public static DeviceServices Start()
    {
        var target = SystemInfo.TargetName;
        if (File.Exists(DevicePaths.BoardFile))
        {
            var provisioned = File.ReadAllText(DevicePaths.BoardFile).Trim();
            if (provisioned.Length > 0)
            {
                target = provisioned;
            }
        }

        var board = BoardPins.ForTarget(target);
        var error = board == null ? "board " + target + " is not in the pin table (nf-boards.md); buses stay off" : "";
        return new DeviceServices(target, board, error);
    }

    /// <summary>The configuration file's bytes (docs/schema/gateway-config.schema.json), or null when it is missing.</summary>
    public byte[]? ReadConfig() => File.Exists(DevicePaths.Config) ? File.ReadAllBytes(DevicePaths.Config) : null;

    /// <summary>The provisioned HMAC key, or null with the reason.</summary>
    public GatewayKey? ReadKey(out string error) => GatewayKey.Read(DevicePaths.KeyFile, out error);

    /// <summary>The reading buffer's files on I:.</summary>
    public IFlashFileSystem OpenBufferStorage() => new LittleFsFileSystem(DevicePaths.BufferDirectory);

    /// <summary>
    /// Opens the RS-485 bus on <paramref name="uart"/> ("COM2" or "COM3") with the configuration's line settings.
    /// The pins come from the board table unless all three are given (config txPin, rxPin, dePin; -1 = not given).
    /// Throws <see cref="LinkException"/> when the board is unknown, the port is not a bus port or the UART refuses.
    /// </summary>
    public IMeterLink OpenBus(string uart, int baud, string parity, int stopBits, int txPin, int rxPin, int dePin)
    {
        var pins = txPin >= 0 && rxPin >= 0 && dePin >= 0 ? new BusPins(uart, txPin, rxPin, dePin) : Board?.BusFor(uart);
        if (pins == null)
        {
            throw new LinkException(uart + ": no pins (" + (Board == null ? BoardError : "only COM2 and COM3 carry buses") + ")");
        }

        try
        {
            return new Rs485UartLink(pins, baud, ParityOf(parity), stopBits == 2 ? StopBits.Two : StopBits.One);
        }
        catch (LinkException)
        {
            throw;
        }
        catch (Exception failure)
        {
            throw new LinkException(uart + ": " + failure.Message, failure);
        }
    }

    /// <summary>
    /// Brings the network up: "ethernet" waits for the Ethernet interface; "wifi" (and "host", which means nothing
    /// on a board) joins the SSID, or the network stored on the device when it is empty. Returns null once there
    /// is an IP address, else why not.
    /// </summary>
    public string? ConnectNetwork(string mode, string ssid, string password, int timeoutMilliseconds) =>
        mode == "ethernet"
            ? NetworkBringUp.ConnectEthernet(timeoutMilliseconds)
            : NetworkBringUp.ConnectWifi(ssid, password, timeoutMilliseconds);

    /// <summary>
    /// The MQTT transport. Certificate files are paths on I: as the configuration gives them ("" = none); they are
    /// read here, once.
    /// </summary>
    public IMqttTransport CreateMqttTransport(MqttEndpoint endpoint, string caFile, string clientCertFile)
    {
        if (caFile.Length > 0)
        {
            endpoint.CaCertificatePem = File.ReadAllText(caFile);
        }

        if (clientCertFile.Length > 0)
        {
            endpoint.ClientCertificatePem = File.ReadAllText(clientCertFile);
        }

        return new M2MqttTransport(endpoint);
    }

    /// <summary>
    /// Starts the software watchdog; the runtime feeds it from its main loops. Started on request only, so that a
    /// board waiting for provisioning does not reboot in a loop.
    /// </summary>
    public SoftwareWatchdog StartWatchdog(TimeSpan limit)
    {
        _watchdog ??= new SoftwareWatchdog(Clock, limit, TimeSpan.FromSeconds(5));
        return _watchdog;
    }

    /// <summary>Seconds since the application started.</summary>
    public long UptimeSeconds => (Clock.MonotonicMilliseconds - _startedAt) / 1000;

    private string[] DeviceStatus()
    {
        return new[]
        {
            "board:   " + Target + (Board == null ? " (" + BoardError + ")" : " (pin map " + Board.Map.ToString() + ")"),
            "image:   nanoFramework " + SystemInfo.Version.ToString() + ", EdgeMeter " + typeof(DeviceServices).Assembly.GetName().Version.ToString(),
            "network: " + (NetworkBringUp.CurrentAddress().Length > 0 ? NetworkBringUp.CurrentAddress() : "no IP address"),
            "time:    " + Clock.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + (Clock.IsSynchronized ? " (synchronized)" : " (not synchronized)"),
            "uptime:  " + UptimeSeconds.ToString() + " s",
            "memory:  " + nanoFramework.Runtime.Native.GC.Run(false).ToString() + " bytes free",
            "hmac:    " + (((NativePacketMac)Mac).IsNative ? "native" : "managed fallback"),
        };
    }

    private static Parity ParityOf(string parity)
    {
        switch (parity)
        {
            case "none":
                return Parity.None;
            case "odd":
                return Parity.Odd;
            case "even":
                return Parity.Even;
            default:
                throw new LinkException("parity must be none, even or odd, not " + parity);
        }
    }
}
