namespace EdgeMeter.Core.Commands;

/// <summary>
/// What commands ask of the gateway around the core: the device or PC layer restarts, stores configurations
/// and updates firmware; the pollers read now and sync meter clocks. Each returns null when done, else why not.
/// </summary>
public interface IGatewayControl
{
    /// <summary>Makes every meter due at once.</summary>
    void ReadNow();

    /// <summary>Broadcasts the time to DL/T 645 meters that have timeSync set.</summary>
    string? SyncMeterTime();

    /// <summary>Stores a validated configuration as the candidate and restarts into it (rolled back if it cannot connect).</summary>
    string? ApplyConfig(byte[] json, int count);

    /// <summary>Restarts the gateway after the reply has gone out.</summary>
    string? Reboot();

    /// <summary>Downloads, verifies and stages new firmware (device layer); the PC reports it cannot.</summary>
    string? UpdateFirmware(string url, string sha256, string signature);

    /// <summary>Keeps a message a platform pushed; the status shows it.</summary>
    void ShowPlatformMessage(string text);

    /// <summary>
    /// Sets the gateway's wall clock from a signed time (where NTP cannot be reached), answering the online status
    /// of sequence <paramref name="statusSequence"/> (<see cref="SignedTimePolicy"/>).
    /// </summary>
    string? SetClock(System.DateTime utc, string statusSequence);
}
