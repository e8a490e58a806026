using System;
using System.Diagnostics;
using System.Threading;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Time;
using EdgeMeter.Firmware.Console;
using EdgeMeter.Firmware.Network;
using EdgeMeter.Firmware.Status;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;
using EdgeMeter.Firmware.Update;

namespace EdgeMeter.Firmware.Runtime;

/// <summary>
/// Runs the gateway core on the board: checks provisioning, brings the network up, starts
/// <see cref="GatewayRuntime"/> on a <see cref="DevicePlatform"/>, then supervises it (LEDs, watchdog, trial of a
/// new configuration, confirmation of a new application version) until it asks for a restart.
/// </summary>
public static class DeviceGateway
{
    private const int NetworkTimeoutMilliseconds = 60000;
    private const int TrialMilliseconds = 5 * 60 * 1000;
    private const int TickMilliseconds = 1000;

    /// <summary>
    /// Returns when the board should reboot (reboot, set-config or firmware-update command, rolled-back trial) with
    /// the reason, or null when it cannot run at all (not provisioned, unknown board): the LEDs then show the fault.
    /// </summary>
    public static string? Run(DeviceServices services)
    {
        var config = Prepare(services, out var key, out var trial);
        if (config == null || key == null)
        {
            if (services.Leds != null)
            {
                services.Leds.Fault = true;
            }

            return null;
        }

        var network = services.ConnectNetwork(config.Network.Mode, config.Network.WifiSsid, config.Network.WifiPassword, NetworkTimeoutMilliseconds);
        if (network != null)
        {
            // Readings are buffered meanwhile; Wi-Fi reconnects by itself and the uplink keeps retrying.
            Debug.WriteLine("network: " + network);
        }

        var platform = new DevicePlatform(services, key);
        var live = new LiveReadings(services.Console);
        GatewayRuntime runtime;
        try
        {
            runtime = new GatewayRuntime(config, platform, live, releaseMeterPoints: true);
        }
        catch (Exception failure)
        {
            // E.g. a bus the board cannot open. A configuration on trial is dropped; the previous one gets the reboot.
            var problem = "cannot start: " + failure.Message;
            Debug.WriteLine(problem);
            if (trial)
            {
                DeviceConfigFiles.RollBack();
                return "new configuration rolled back: " + problem;
            }

            services.Console.Config = () => new[] { problem };
            if (services.Leds != null)
            {
                services.Leds.Fault = true;
            }

            return null;
        }

        using var running = runtime;
        live.Points = runtime.Points;
        var configLines = ConfigLines(config, trial);
        var ntpServer = config.Time.NtpServer;
        var watchdogLimit = WatchdogLimit(config);
        config = null; // the runtime keeps what it needs; the configuration's objects (~0.1 KB a point) are freed
        services.Console.Config = () => configLines;
        services.Console.AddStatus(() => RuntimeLines(runtime));
        runtime.Start();
        StartTimeKeeping(services, platform, ntpServer);
        var reason = Supervise(services, platform, runtime, watchdogLimit, trial);
        runtime.Stop();
        return reason;
    }

    /// <summary>
    /// Asks time.ntpServer for the time on a thread of its own (a query waits up to 3 s): every minute until the clock
    /// is set, then every six hours. The receiver's signed set-time remains the source where no NTP server answers.
    /// </summary>
    private static void StartTimeKeeping(DeviceServices services, DevicePlatform platform, string ntpServer)
    {
        var time = new NtpTimeSource(ntpServer, NtpTimeSource.Port, new SocketDatagramLink(), services.Clock, platform);
        services.Console.AddStatus(() => new[] { "ntp " + ntpServer + ": " + time.LastResult });
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(time.Poll());
            }
        }).Start();
    }

    private static GatewayConfig? Prepare(DeviceServices services, out GatewayKey? key, out bool trial)
    {
        key = services.ReadKey(out var keyProblem);
        var config = DeviceConfigFiles.Load(out trial, out var configProblem);
        var problem = services.Board == null ? services.BoardError
            : key == null ? keyProblem
            : config == null ? configProblem
            : config.GatewayId != key.GatewayId ? "the key is for " + key.GatewayId + ", the configuration for " + config.GatewayId
            : config.KeyVersion != key.KeyVersion ? "the configuration wants key version " + config.KeyVersion.ToString() + ", the key file has " + key.KeyVersion.ToString()
            : "";
        if (problem.Length == 0)
        {
            return config;
        }

        Debug.WriteLine("not starting: " + problem);
        services.Console.Config = () => new[] { "not starting: " + problem };
        return null;
    }

    private static string Supervise(DeviceServices services, DevicePlatform platform, GatewayRuntime runtime, TimeSpan watchdogLimit, bool trial)
    {
        var watchdog = services.StartWatchdog(watchdogLimit);
        var started = services.Clock.MonotonicMilliseconds;
        long lastRequests = -1;
        var ticks = 0;
        var confirmed = false;
        var networkUp = NetworkBringUp.CurrentAddress().Length > 0;
        while (true)
        {
            Thread.Sleep(TickMilliseconds);
            var connected = runtime.Uplink.IsConnected;
            if (services.Leds != null)
            {
                services.Leds.Code = CommissioningCode.Of(runtime.Buses.MeterCount, runtime.Buses.OfflineMeterCount, networkUp, connected, services.Clock.IsSynchronized);
            }

            // Fed while the bus pollers make requests (answered or not); a stuck poller starves it. Checked every 10 s:
            // summing the counters, and reading the address, allocate.
            if (++ticks % 10 == 0)
            {
                networkUp = NetworkBringUp.CurrentAddress().Length > 0;
                var requests = PollRequests(runtime);
                if (requests != lastRequests || runtime.Buses.Count == 0)
                {
                    watchdog.Feed();
                    lastRequests = requests;
                }
            }

            if (connected && !confirmed)
            {
                confirmed = true;
                ConfirmApplication();
                if (trial)
                {
                    DeviceConfigFiles.Promote();
                    trial = false;
                }
            }

            if (trial && services.Clock.MonotonicMilliseconds - started > TrialMilliseconds)
            {
                DeviceConfigFiles.RollBack();
                return "new configuration rolled back: the broker was not reached with it";
            }

            var restart = platform.RestartReason;
            if (restart != null)
            {
                Thread.Sleep(1000); // let the command's reply reach the broker
                return restart;
            }
        }
    }

    /// <summary>A staged application version that reached the broker keeps its place (no-op for the built-in one).</summary>
    private static void ConfirmApplication()
    {
        var record = BootRecord.Load();
        if (record.Pending.Length > 0 && record.Tries > 0)
        {
            record.ConfirmRunning(record.Pending);
        }
    }

    private static long PollRequests(GatewayRuntime runtime)
    {
        long requests = 0;
        for (var i = 0; i < runtime.Buses.Count; i++)
        {
            requests += runtime.Buses.GetPoller(i).SumCounters().Requests;
        }

        return requests;
    }

    /// <summary>Twice the longest poll interval, at least 10 minutes: long enough for every poller to have asked once.</summary>
    private static TimeSpan WatchdogLimit(GatewayConfig config)
    {
        var longest = 0;
        for (var i = 0; i < config.Meters.Length; i++)
        {
            longest = config.Meters[i].PollSeconds > longest ? config.Meters[i].PollSeconds : longest;
        }

        return TimeSpan.FromSeconds(longest * 2 > 600 ? longest * 2 : 600);
    }

    private static string[] ConfigLines(GatewayConfig config, bool trial)
    {
        var lines = new string[4 + config.Buses.Length];
        lines[0] = "gateway: " + config.GatewayId + ", key version " + config.KeyVersion.ToString() + (trial ? " (new configuration on trial)" : "");
        lines[1] = "network: " + config.Network.Mode + (config.Network.Mode == "wifi" ? " " + config.Network.WifiSsid : "");
        lines[2] = "broker:  " + config.Mqtt.Host + ":" + config.Mqtt.Port.ToString() + (config.Mqtt.Tls ? " (TLS)" : "");
        lines[3] = "meters:  " + config.Meters.Length.ToString() + ", upload every " + config.Upload.IntervalSeconds.ToString() + " s";
        for (var i = 0; i < config.Buses.Length; i++)
        {
            var bus = config.Buses[i];
            lines[4 + i] = "bus " + bus.Id + ": " + bus.Uart + " " + bus.Baud.ToString() + " " + bus.Parity + " " + bus.StopBits.ToString() + " stop";
        }

        return lines;
    }

    private static string[] RuntimeLines(GatewayRuntime runtime)
    {
        var uplink = runtime.Uplink;
        var buffer = runtime.Buffer;
        return new[]
        {
            "uplink:  " + (uplink.IsConnected ? "connected" : "not connected (" + uplink.LastConnectionProblem + ")"),
            "readings: " + runtime.ReadingsTaken.ToString() + " taken, " + uplink.ReadingsAcknowledged.ToString() + " acknowledged",
            "buffer:  " + buffer.Depth.ToString() + " queued, " + buffer.Dropped.ToString() + " dropped, " + buffer.BytesUsed.ToString() + " of " + buffer.Budget.ToString() + " bytes",
        };
    }
}
