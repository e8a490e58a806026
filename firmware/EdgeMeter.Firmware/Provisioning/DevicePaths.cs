namespace EdgeMeter.Firmware.Provisioning;

/// <summary>
/// Where the gateway keeps its files on the internal LittleFS drive. `edgemeter provision` writes the first three;
/// nf-boards.md lists them all.
/// </summary>
public static class DevicePaths
{
    public const string Root = "I:\\edgemeter";

    /// <summary>The gateway configuration (docs/schema/gateway-config.schema.json).</summary>
    public const string Config = Root + "\\gateway.json";

    /// <summary>The gateway's HMAC key, in the key-file format of docs/packet-format.md with one entry.</summary>
    public const string KeyFile = Root + "\\key.json";

    /// <summary>The reading buffer's segment and cursor files.</summary>
    public const string BufferDirectory = Root + "\\buf";

    /// <summary>The board (nanoFramework target) name the gateway was provisioned for, one line; optional.</summary>
    public const string BoardFile = Root + "\\board.txt";

    /// <summary>The fleet release key that signs update manifests (key-file format, one entry); optional.</summary>
    public const string ReleaseKeyFile = Root + "\\release-key.json";

    /// <summary>Small state the core keeps across power loss (packet and command sequence numbers).</summary>
    public const string StateDirectory = Root + "\\state";

    /// <summary>A configuration received with set-config, tried at the next start.</summary>
    public const string CandidateConfig = Root + "\\gateway.candidate.json";

    /// <summary>Present while the candidate configuration is being tried; a start that finds it rolls back.</summary>
    public const string TrialMarker = Root + "\\gateway.trial";

    /// <summary>CA for https:// update downloads (the CA file provision deploys); without it, the CA stored on the device.</summary>
    public const string UpdateCaFile = Root + "\\ca.pem";

    /// <summary>Staged application updates, one directory per version, and the boot record.</summary>
    public const string UpdateDirectory = Root + "\\app";
}
