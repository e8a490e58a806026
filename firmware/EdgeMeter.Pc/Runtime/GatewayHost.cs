using System.Globalization;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Runtime;

namespace EdgeMeter.Pc.Runtime;

/// <summary>
/// Runs the gateway core on a PC until stopped: restarts it after a reboot or set-config command, tries a candidate
/// configuration and keeps it only once the broker is reached with it (otherwise rolls back), logs progress.
/// </summary>
public sealed class GatewayHost(string configPath, GatewayData data, IPacketKeyStore keys, TextWriter log, GatewayHostOptions options)
{
    /// <summary>Runs until <paramref name="stop"/> is cancelled or the duration has passed. Returns the exit code.</summary>
    public int Run(CancellationToken stop)
    {
        var started = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            var (config, trial) = LoadConfiguration();
            var platform = new PcGatewayPlatform(data, keys, config.GatewayId, CaFileOnPc(config.Mqtt.CaFile));
            using var trace = options.TracePath is null ? null : new ReadingTrace(options.TracePath, config);
            using var runtime = new GatewayRuntime(config, platform, trace);
            trace?.CatchUp(runtime.Buffer);
            runtime.Start();
            Log($"started {config.GatewayId}: {config.Meters.Length} meters on {config.Buses.Length} buses, broker {config.Mqtt.Host}:{config.Mqtt.Port}{(trial ? ", trying the new configuration" : "")}");
            var outcome = Supervise(runtime, platform, trial, started, stop);
            runtime.Stop(outcome is "stop" or "duration" ? (int)options.DrainPeriod.TotalMilliseconds : 0);
            Log($"stopped ({outcome}): {runtime.ReadingsTaken} readings taken, {runtime.Buffer.Depth} still buffered");
            if (outcome is "stop" or "duration")
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// mqtt.caFile on a PC: a path of this machine (relative to the configuration's directory), or a board path
    /// I:\edgemeter\NAME, read as NAME beside the configuration (where `edgemeter provision --ca` puts it).
    /// </summary>
    private string? CaFileOnPc(string caFile)
    {
        if (caFile.Length == 0)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var onPc = caFile.StartsWith(@"I:\", StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(directory, caFile[(caFile.LastIndexOf('\\') + 1)..])
            : Path.GetFullPath(Path.Combine(directory, caFile));
        if (!File.Exists(onPc))
        {
            Log($"mqtt.caFile {caFile}: {onPc} does not exist; TLS trusts the system store only");
            return null;
        }

        return onPc;
    }

    private string Supervise(GatewayRuntime runtime, PcGatewayPlatform platform, bool trial, DateTime started, CancellationToken stop)
    {
        var trialDeadline = DateTime.UtcNow + options.TrialPeriod;
        var nextLog = DateTime.UtcNow + options.LogInterval;
        while (!stop.WaitHandle.WaitOne(200))
        {
            var now = DateTime.UtcNow;
            if (options.Duration is { } duration && now - started >= duration)
            {
                return "duration";
            }

            if (platform.RestartReason is { } reason)
            {
                Thread.Sleep(500); // let the command's reply reach the broker
                return reason;
            }

            if (trial && runtime.Uplink.IsConnected)
            {
                Promote();
                trial = false;
            }
            else if (trial && now > trialDeadline)
            {
                RollBack("the broker was not reached within " + options.TrialPeriod.TotalSeconds + " s");
                return "rollback";
            }

            if (now >= nextLog)
            {
                LogProgress(runtime);
                nextLog = now + options.LogInterval;
            }
        }

        return "stop";
    }

    private (GatewayConfig Config, bool Trial) LoadConfiguration()
    {
        if (File.Exists(data.TrialMarkerPath))
        {
            RollBack("the gateway stopped while trying it");
        }
        else if (File.Exists(data.CandidatePath))
        {
            var candidate = GatewayConfigFile.TryLoad(data.CandidatePath, out var problems);
            if (candidate != null)
            {
                File.WriteAllText(data.TrialMarkerPath, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                return (candidate, true);
            }

            RollBack("it is invalid: " + problems[0]);
        }

        return (GatewayConfigFile.Load(configPath), false);
    }

    private void Promote()
    {
        var temporary = configPath + ".tmp";
        File.Copy(data.CandidatePath, temporary, overwrite: true);
        File.Move(temporary, configPath, overwrite: true);
        File.Delete(data.CandidatePath);
        File.Delete(data.TrialMarkerPath);
        Log($"new configuration confirmed (broker reached) and saved to {configPath}");
    }

    private void RollBack(string why)
    {
        File.Delete(data.CandidatePath);
        File.Delete(data.TrialMarkerPath);
        Log($"new configuration rolled back: {why}");
    }

    private void LogProgress(GatewayRuntime runtime)
    {
        var uplink = runtime.Uplink;
        var connection = uplink.IsConnected ? "connected" : $"disconnected ({uplink.LastConnectionProblem})";
        Log($"{runtime.ReadingsTaken} readings taken, {uplink.ReadingsAcknowledged} acknowledged by the broker, {runtime.Buffer.Depth} buffered, {runtime.Buffer.Dropped} dropped; {connection}");
    }

    private void Log(string message)
    {
        lock (log)
        {
            log.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} gateway: {message}");
            log.Flush();
        }
    }
}

public sealed record GatewayHostOptions(TimeSpan TrialPeriod, TimeSpan LogInterval, TimeSpan? Duration, string? TracePath = null)
{
    /// <summary>On a stop, how long to keep publishing (polling already stopped) so the buffer can empty.</summary>
    public TimeSpan DrainPeriod { get; init; } = TimeSpan.FromSeconds(10);
}
