namespace EdgeMeter.Core.Messages;

/// <summary>The gateway's health, published retained on the status topic.</summary>
public sealed class GatewayStatus
{
    public GatewayState State { get; set; }

    public string Firmware { get; set; } = "";

    public long UptimeSeconds { get; set; }

    /// <summary>Whether the gateway clock is synchronized (SNTP); reading times are trustworthy only then.</summary>
    public bool ClockSynchronized { get; set; }

    /// <summary>Readings stored on the gateway and not yet acknowledged by the broker.</summary>
    public long QueuedReadings { get; set; }

    /// <summary>
    /// The sequence number of the last-will (offline) packet registered for the current MQTT connection. The will is
    /// signed at connect time, so it reaches the platform with a sequence number lower than packets sent after it;
    /// announcing it lets a receiver accept it once (docs/mqtt-topics.md).
    /// </summary>
    public long WillSequence { get; set; }

    /// <summary>Free managed heap in bytes; -1 where the platform cannot tell ("mem").</summary>
    public long FreeMemory { get; set; } = -1;

    /// <summary>Unacknowledged readings the buffer dropped over its life to stay within its flash budget ("dropped").</summary>
    public long DroppedReadings { get; set; }

    /// <summary>MQTT connections made since start ("reconnects"; 1 means no reconnect so far).</summary>
    public long Connections { get; set; }

    /// <summary>The last message a platform pushed with platform-message, or "" ("msg").</summary>
    public string PlatformMessage { get; set; } = "";

    /// <summary>Per-meter health ("meters"): the first <see cref="MeterCount"/> entries, unless <see cref="MeterSource"/> is set.</summary>
    public MeterHealth[] Meters { get; set; } = new MeterHealth[0];

    /// <summary>
    /// Where a gateway's per-meter health comes from instead of <see cref="Meters"/>: each entry is read into one
    /// reused <see cref="MeterHealth"/> as the packet is written, so a gateway keeps no copy per meter.
    /// </summary>
    public IMeterHealthSource? MeterSource { get; set; }

    public int MeterCount { get; set; }

    private readonly MeterHealth _entry = new MeterHealth();

    /// <summary>The health of meter <paramref name="index"/> (below <see cref="MeterCount"/>); from a source, valid until the next call.</summary>
    public MeterHealth Meter(int index)
    {
        if (MeterSource == null)
        {
            return Meters[index];
        }

        MeterSource.GetMeterHealth(index, _entry);
        return _entry;
    }

    /// <summary>Whether <see cref="MeterCount"/> entries can be read.</summary>
    public bool HasMeterEntries => MeterCount >= 0 && (MeterSource != null || MeterCount <= Meters.Length);

    /// <summary>Per-bus link statistics ("buses"): the first <see cref="BusCount"/> entries.</summary>
    public BusHealth[] Buses { get; set; } = new BusHealth[0];

    public int BusCount { get; set; }
}

/// <summary>Gives a status packet's per-meter health one entry at a time (a gateway: from its meter sessions).</summary>
public interface IMeterHealthSource
{
    /// <summary>Fills <paramref name="into"/> with meter <paramref name="index"/>'s health.</summary>
    void GetMeterHealth(int index, MeterHealth into);
}

/// <summary>One meter's health in a status packet.</summary>
public sealed class MeterHealth
{
    public string Id { get; set; } = "";

    /// <summary>False after three failed polls in a row ("online").</summary>
    public bool Online { get; set; } = true;

    public long Requests { get; set; }

    public long Timeouts { get; set; }

    public long Errors { get; set; }

    /// <summary>Average request latency in milliseconds ("ms").</summary>
    public long LatencyMilliseconds { get; set; }

    /// <summary>Meter clock minus gateway local time at the last time sync, in seconds ("drift"; 0 if not measured).</summary>
    public long ClockDriftSeconds { get; set; }
}

/// <summary>One RS-485 bus's request statistics in a status packet.</summary>
public sealed class BusHealth
{
    public string Id { get; set; } = "";

    public long Requests { get; set; }

    public long Timeouts { get; set; }

    public long Errors { get; set; }
}
