using EdgeMeter.PlatformSim.Faults;
using EdgeMeter.PlatformSim.Records;

namespace EdgeMeter.PlatformSim;

/// <summary>A simulator that is listening: its address, what it accepted, its counters and its fault switches.</summary>
public sealed class RunningPlatformSim : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SimState sim;
    private int stopped;

    internal RunningPlatformSim(WebApplication app, SimState sim, Uri baseAddress)
    {
        this.app = app;
        this.sim = sim;
        BaseAddress = baseAddress;
    }

    /// <summary>e.g. http://127.0.0.1:41234/ (ends with '/'; endpoint paths are relative to it).</summary>
    public Uri BaseAddress { get; }

    public string Name => sim.Name;

    /// <summary>The records accepted so far, in acceptance order (duplicates absorbed, rejects left out).</summary>
    public IReadOnlyList<SimRecord> Records => sim.Store.Snapshot();

    public SimStats Stats => sim.Counters.Snapshot(sim.Name);

    public FaultInjector Faults => sim.Faults;

    public string RegVersion => sim.Versions.Reg;

    public string DicVersion => sim.Versions.Dic;

    /// <summary>Publishes new configuration/dictionary versions: uploads carrying the old ones now get 409.</summary>
    public void SetVersions(string regVersion, string dicVersion) => sim.Versions = (regVersion, dicVersion);

    /// <summary>Registers a data item (see <see cref="PlatformSimOptions.RegisteredDataCodes"/>).</summary>
    public void RegisterDataCode(string dataCode) => sim.Register(dataCode);

    /// <summary>Completes when the host stops (Ctrl+C or SIGTERM for the process, StopAsync otherwise).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellation = default) => app.WaitForShutdownAsync(cancellation);

    public async Task StopAsync(CancellationToken cancellation = default)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await app.StopAsync(cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}
