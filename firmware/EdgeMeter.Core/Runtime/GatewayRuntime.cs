using System.Threading;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Commands;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Runtime;

/// <summary>
/// The whole gateway, the same on an ESP32 and on a PC: one poller thread per bus putting readings into the flash
/// buffer, one uplink thread publishing them as signed packets and obeying commands.
/// </summary>
public sealed class GatewayRuntime : IGatewayControl, IStatusSource, System.IDisposable
{
    private const int UplinkPauseMilliseconds = 50;

    private readonly long _meterSyncMilliseconds;
    private readonly IGatewayPlatform _platform;
    private readonly IClock _clock;
    private readonly ReadingBuffer _buffer;
    private readonly PacketSequence _sequence;
    private readonly CommandProcessor _commands;
    private readonly GatewayBuses _buses;
    private readonly UplinkPublisher _uplink;
    private readonly long _startedAt;
    private readonly object _gate = new object();
    private Thread? _uplinkThread;
    private bool _stopping;
    private long _nextMeterTimeSync;
    private string _platformMessage = "";

    public GatewayRuntime(GatewayConfig config, IGatewayPlatform platform, IReadingObserver? observer = null)
        : this(config, platform, observer, false)
    {
    }

    /// <param name="releaseMeterPoints">
    /// Lets each meter's point settings go (its <see cref="MeterSettings.Points"/> becomes empty) as soon as its session
    /// is built, so that start-up never holds all of the configuration's points beside the whole runtime: what a board
    /// does (docs/performance.md, "The device heap"). The configuration's points are of no use afterwards.
    /// </param>
    public GatewayRuntime(GatewayConfig config, IGatewayPlatform platform, IReadingObserver? observer, bool releaseMeterPoints)
    {
        _meterSyncMilliseconds = config.Time.MeterSyncHours * 3_600_000L; // keeps no reference: the configuration's objects are freed after start-up
        _platform = platform;
        _clock = platform.Clock;
        _startedAt = _clock.MonotonicMilliseconds;
        var key = platform.Key(config.KeyVersion);
        if (key == null)
        {
            throw new System.InvalidOperationException("no provisioned key for " + config.GatewayId + " key version " + config.KeyVersion);
        }

        // What needs the points first; the buffer, the largest part, after the meters, which may let the points go.
        var series = SeriesCount(config);
        Points = new PointDirectory(config);
        _sequence = new PacketSequence(platform.StateFiles);
        var keys = new SingleKeyStore(key);
        _commands = new CommandProcessor(config.GatewayId, keys, platform.Mac, PacketLimits.MaxDownPacketBytes, platform.StateFiles, this, _clock);
        var meters = new BusMeters(config, platform, releaseMeterPoints);
        try
        {
            _buffer = ReadingBuffer.Open(platform.BufferFiles, new BufferOptions { Budget = config.BufferBudgetBytes, MaxSeries = series });
        }
        catch
        {
            meters.Dispose(); // the buses' ports stay free for the next attempt
            throw;
        }

        _buses = new GatewayBuses(meters, _buffer, _clock, observer);
        var signer = new PacketSigner(config.GatewayId, config.KeyVersion, key, platform.Mac, config.Upload.MaxPacketBytes)
        {
            UpSchema = config.Upload.PayloadVersion,
        };
        var options = new UplinkOptions
        {
            UploadIntervalMilliseconds = config.Upload.IntervalSeconds * 1000,
            MaxReadingsPerPacket = config.Upload.MaxReadingsPerPacket,
            StatusIntervalMilliseconds = config.Upload.StatusIntervalSeconds * 1000,
            Firmware = platform.FirmwareVersion,
        };
        _uplink = new UplinkPublisher(
            platform.OpenMqtt(config), _buffer, signer, _sequence, Points, new MqttTopics(config.Mqtt.TopicPrefix), this, _commands, _clock, options);
    }

    public ReadingBuffer Buffer => _buffer;

    public UplinkPublisher Uplink => _uplink;

    /// <summary>The configured meters' and points' ids and units, by the indexes readings carry.</summary>
    public PointDirectory Points { get; }

    public GatewayBuses Buses => _buses;

    public long ReadingsTaken => _buses.ReadingsTaken;

    public string PlatformMessage
    {
        get
        {
            lock (_gate)
            {
                return _platformMessage;
            }
        }
    }

    public void Start()
    {
        _buses.Start();
        _uplinkThread = new Thread(RunUplink);
        _uplinkThread.Start();
    }

    /// <summary>Stops polling and publishing; what was read stays in flash for the next start.</summary>
    public void Stop() => Stop(0);

    /// <summary>
    /// Stops polling, then keeps publishing for up to <paramref name="drainMilliseconds"/> while the broker is
    /// reachable so the buffer empties, then stops. Whatever is left stays in flash for the next start.
    /// </summary>
    public void Stop(int drainMilliseconds)
    {
        _buses.Stop();
        var deadline = _clock.MonotonicMilliseconds + drainMilliseconds;
        while (_buffer.Depth > 0 && _uplink.IsConnected && _clock.MonotonicMilliseconds < deadline)
        {
            _clock.Sleep(UplinkPauseMilliseconds);
        }

        lock (_gate)
        {
            _stopping = true;
        }

        _uplinkThread?.Join();
        _uplink.Shutdown();
    }

    public void Dispose()
    {
        _commands.Dispose();
        _sequence.Dispose();
        _buffer.Dispose();
        _buses.Dispose();
    }

    public void ReadNow() => _buses.ReadNow();

    public string? SyncMeterTime() => _buses.SyncMeterTime();

    public string? ApplyConfig(byte[] json, int count)
    {
        var problem = _platform.StageConfig(json, count);
        if (problem == null)
        {
            _platform.RequestRestart("set-config");
        }

        return problem;
    }

    public string? Reboot()
    {
        _platform.RequestRestart("reboot command");
        return null;
    }

    public string? UpdateFirmware(string url, string sha256, string signature) => _platform.UpdateFirmware(url, sha256, signature);

    public string? SetClock(System.DateTime utc, string statusSequence) =>
        SignedTimePolicy.Refusal(
            ReadingRecorder.IsSynchronized(_clock.UtcNow), statusSequence, _uplink.LastOnlineStatusSequence, _uplink.LastOnlineStatusMonotonic, _clock.MonotonicMilliseconds)
        ?? _platform.SetClock(utc);

    public void ShowPlatformMessage(string text)
    {
        lock (_gate)
        {
            _platformMessage = text;
        }
    }

    public void Fill(GatewayStatus status)
    {
        status.UptimeSeconds = (_clock.MonotonicMilliseconds - _startedAt) / 1000;
        status.ClockSynchronized = ReadingRecorder.IsSynchronized(_clock.UtcNow);
        status.FreeMemory = _platform.FreeMemory;
        status.PlatformMessage = PlatformMessage;
        _buses.Fill(status);
    }

    private void RunUplink()
    {
        while (!IsStopping())
        {
            _uplink.Step();
            SyncMeterClocksWhenDue();
            _clock.Sleep(UplinkPauseMilliseconds);
        }
    }

    private void SyncMeterClocksWhenDue()
    {
        var now = _clock.MonotonicMilliseconds;
        if (now < _nextMeterTimeSync || !ReadingRecorder.IsSynchronized(_clock.UtcNow))
        {
            return;
        }

        _buses.SyncMeterTime();
        _nextMeterTimeSync = now + _meterSyncMilliseconds;
    }

    private bool IsStopping()
    {
        lock (_gate)
        {
            return _stopping;
        }
    }

    private static int SeriesCount(GatewayConfig config)
    {
        var count = 0;
        for (var i = 0; i < config.Meters.Length; i++)
        {
            count += config.Meters[i].Points.Length;
        }

        return count < 8 ? 8 : count;
    }
}
