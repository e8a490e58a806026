using EdgeMeter.Common.Platform;
using EdgeMeter.PlatformSim.Faults;
using EdgeMeter.PlatformSim.Records;
using EdgeMeter.PlatformSim.Tokens;

namespace EdgeMeter.PlatformSim;

/// <summary>Everything one running simulator knows; shared by its endpoints.</summary>
internal sealed class SimState
{
    private readonly Lock versionGate = new();
    private (string Reg, string Dic) versions;

    public SimState(PlatformSimOptions options, CancellationToken stopping)
    {
        Options = options;
        Stopping = stopping;
        Enterprises = options.EffectiveEnterprises;
        Store = new RecordStore(options.StorePath);
        Tokens = new TokenIssuer(options.TimeProvider, options.TokenLifetime);
        Faults = new FaultInjector(options.Seed, Tokens.ExpireAll);
        versions = (options.RegVersion, options.DicVersion);
        PasswordCipher = options.PasswordProtection is { } sm4 ? new Sm4PasswordCipher(sm4) : null;
        foreach (var code in options.RegisteredDataCodes)
        {
            registered[code] = true;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> registered = new(StringComparer.Ordinal);

    /// <summary>True when the platform takes <paramref name="dataCode"/>: no registration list, or it is on it.</summary>
    public bool Accepts(string dataCode) => registered.IsEmpty || registered.ContainsKey(dataCode);

    /// <summary>Registers a data item at run time (/_sim/data-codes), as a province does when an enterprise asks.</summary>
    public void Register(string dataCode) => registered[dataCode] = true;

    public IReadOnlyList<string> RegisteredDataCodes => [.. registered.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Null: requestAK takes the password in clear.</summary>
    public Sm4PasswordCipher? PasswordCipher { get; }

    public PlatformSimOptions Options { get; }

    public string Name => Options.Name;

    /// <summary>Fires when the host shuts down, so requests held by a timeout fault let go at once.</summary>
    public CancellationToken Stopping { get; }

    public IReadOnlyDictionary<string, string> Enterprises { get; }

    public RecordStore Store { get; }

    public TokenIssuer Tokens { get; }

    public FaultInjector Faults { get; }

    public SimCounters Counters { get; } = new();

    public (string Reg, string Dic) Versions
    {
        get
        {
            lock (versionGate)
            {
                return versions;
            }
        }

        set
        {
            lock (versionGate)
            {
                versions = value;
            }
        }
    }
}
