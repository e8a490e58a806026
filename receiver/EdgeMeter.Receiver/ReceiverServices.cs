using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver;

/// <summary>The running parts, as the admin endpoints and the handle need them.</summary>
internal sealed record ReceiverServices(
    string Mode,
    PacketStore Store,
    IngestPipeline Pipeline,
    IGatewayLink Link,
    IReadOnlyList<IRelayTier> Tiers,
    CommandService Commands,
    ReceiverMetrics Metrics,
    AdminTokens Tokens,
    AuditLog Audit,
    TimeProvider Time);
