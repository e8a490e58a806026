using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Common.Platform;

namespace EdgeMeter.PlatformSim;

/// <summary>How one simulated platform behaves. The defaults give a working provincial platform with one enterprise.</summary>
public sealed class PlatformSimOptions
{
    /// <summary>The enterprise accepted when none is configured (a made-up code in the unified social credit code alphabet).</summary>
    public const string DefaultEnterpriseCode = "91530100MA6NXKB7X1";

    public const string DefaultPassword = "edgemeter-demo";

    /// <summary>When set, requestAK's password must arrive SM4-protected this way (as a real provincial platform wants).</summary>
    public Sm4PasswordOptions? PasswordProtection { get; set; }

    /// <summary>
    /// The data items registered with the platform (dataCode). Empty: any well-formed dataCode is taken. Otherwise a
    /// record of another dataCode is refused with 422, as a platform refuses data items it has no registration for.
    /// </summary>
    public HashSet<string> RegisteredDataCodes { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, https:// addresses are served with this certificate.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>When set (with a server certificate), every client must present a certificate issued by one of these CAs.</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; set; }

    /// <summary>"provincial" or "national"; appears in log lines, stats and stored records.</summary>
    public string Name { get; set; } = "provincial";

    /// <summary>Enterprise code -> password. Empty means the single default enterprise.</summary>
    public Dictionary<string, string> Enterprises { get; } = new(StringComparer.Ordinal);

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Optional JSON-lines file: loaded at start (so dedupe survives a restart), appended on every accept.</summary>
    public string? StorePath { get; set; }

    public string RegVersion { get; set; } = "1.0";

    public string DicVersion { get; set; } = "1.0";

    /// <summary>Seed for fractional fault injection, so a faulty run can be repeated exactly.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The daily upload time the platform assigns (requestAK's enterpriseUploadTime, "HH:mm:ss").</summary>
    public string EnterpriseUploadTime { get; set; } = "00:30:00";

    /// <summary>Largest JSON array accepted by the batch extension of /dataEnterpriseEnergy; larger ones get 413.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Receives one line per request when set; null keeps the simulator silent.</summary>
    public Action<string>? RequestLog { get; set; }

    /// <summary>Drives token expiry. Platform-local times are this clock's UTC + 8 h (Beijing time).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>True only for the process: Ctrl+C/SIGTERM stop it and framework warnings reach the console.</summary>
    internal bool RunsAsProcess { get; set; }

    internal IReadOnlyDictionary<string, string> EffectiveEnterprises =>
        Enterprises.Count > 0
            ? Enterprises
            : new Dictionary<string, string>(StringComparer.Ordinal) { [DefaultEnterpriseCode] = DefaultPassword };
}
