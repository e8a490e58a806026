using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// /healthz: healthy while packets can be received and stored. A platform being down does not make the receiver
/// unhealthy (it keeps storing and retries); it shows up under tiers.
/// </summary>
public static class HealthReport
{
    public static (bool Healthy, object Body) Build(PacketStore store, IGatewayLink link, string mode, IReadOnlyList<IRelayTier> tiers)
    {
        var storeOk = store.Fault is null;
        var healthy = storeOk && link.IsRunning;
        var body = new
        {
            status = healthy ? "ok" : "failing",
            store = new { ok = storeOk, pendingWrites = store.PendingWrites, error = store.Fault?.Message },
            ingest = new { mode, running = link.IsRunning, connectedGateways = link.ConnectedGateways },
            tiers = tiers.Select(tier => new
            {
                name = tier.Name,
                gateways = tier.Gateways.Count,
                failingGateways = tier.FailingGateways,
                errors = tier.States.Where(pair => pair.Value.LastError is not null).ToDictionary(pair => pair.Key, pair => pair.Value.LastError),
            }),
        };
        return (healthy, body);
    }
}
