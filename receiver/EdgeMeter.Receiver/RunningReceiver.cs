using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver;

/// <summary>
/// A receiver started by <see cref="ReceiverApp.StartAsync"/>: where it listens, its counters and lags, and how
/// to stop it. Stopping closes the ingest first (no new packets), then commands and relays, then writes what is
/// queued and closes the store.
/// </summary>
public sealed class RunningReceiver : IAsyncDisposable
{
    private readonly ReceiverServices _services;
    private readonly Stack<IAsyncDisposable> _parts;
    private readonly ILoggerFactory? _ownedLoggerFactory;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;

    internal RunningReceiver(
        ReceiverServices services, Stack<IAsyncDisposable> parts, int? brokerPort, int? brokerTlsPort, Uri adminAddress, ReceiverKeyStore keys,
        ILoggerFactory? ownedLoggerFactory)
    {
        _services = services;
        _parts = parts;
        BrokerPort = brokerPort;
        BrokerTlsPort = brokerTlsPort;
        AdminAddress = adminAddress;
        Keys = keys;
        _ownedLoggerFactory = ownedLoggerFactory;
    }

    /// <summary>The embedded broker's plain TCP port (null for an external broker or TLS only).</summary>
    public int? BrokerPort { get; }

    public int? BrokerTlsPort { get; }

    /// <summary>Where /healthz, /metrics and /admin are served, e.g. http://127.0.0.1:8480/.</summary>
    public Uri AdminAddress { get; }

    public ReceiverKeyStore Keys { get; }

    public ReceiverMetrics Metrics => _services.Metrics;

    public PacketStore Store => _services.Store;

    public CommandService Commands => _services.Commands;

    public IReadOnlyList<IRelayTier> Tiers => _services.Tiers;

    /// <summary>The ingest's link to the gateways (broker state, connects).</summary>
    public Ingest.IGatewayLink Link => _services.Link;

    /// <summary>The /metrics page as it would be served now.</summary>
    public string MetricsText() => MetricsReport.Render(_services.Metrics, _services.Store, _services.Tiers, _services.Link, _services.Indicators, _services.Time);

    /// <summary>The indicator engine, for tests that drive a pass themselves.</summary>
    public Indicators.IndicatorEngine Indicators => _services.Indicators.Engine;

    /// <summary>Rows not yet relayed by the named tier.</summary>
    public long RelayLag(string tier) => _services.Tiers.Single(t => t.Name == tier).Lag();

    /// <summary>Completes once the receiver has stopped.</summary>
    public Task WaitForStopAsync() => _stopped.Task;

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            await _stopped.Task;
            return;
        }

        while (_parts.TryPop(out var part))
        {
            await part.DisposeAsync();
        }

        _ownedLoggerFactory?.Dispose();
        _stopped.TrySetResult();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
