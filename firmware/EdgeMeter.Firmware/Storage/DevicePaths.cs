namespace EdgeMeter.Firmware.Storage;

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

    /// <summary>Directory of the certificate files the configuration names (caFile, clientCertFile).</summary>
    public const string CertificateDirectory = Root;

    /// <summary>The reading buffer's segment and cursor files.</summary>
    public const string BufferDirectory = Root + "\\buf";

    /// <summary>The board (nanoFramework target) name the gateway was provisioned for, one line; optional.</summary>
    public const string BoardFile = Root + "\\board.txt";

    /// <summary>Staged application updates, one directory per version, and the boot record.</summary>
    public const string UpdateDirectory = Root + "\\app";
}
