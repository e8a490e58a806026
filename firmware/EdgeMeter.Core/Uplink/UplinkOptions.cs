namespace EdgeMeter.Core.Uplink;

/// <summary>How the uplink batches, paces and retries.</summary>
public sealed class UplinkOptions
{
    /// <summary>Publish a partly filled packet of new readings at most this often.</summary>
    public int UploadIntervalMilliseconds { get; set; } = 10_000;

    public int MaxReadingsPerPacket { get; set; } = 40;

    public int StatusIntervalMilliseconds { get; set; } = 60_000;

    /// <summary>Unacknowledged packets at once (the device's MQTT client keeps them in RAM).</summary>
    public int Window { get; set; } = 4;

    public int MinReconnectDelayMilliseconds { get; set; } = 1_000;

    public int MaxReconnectDelayMilliseconds { get; set; } = 60_000;

    public string Firmware { get; set; } = "0.0.0";
}
