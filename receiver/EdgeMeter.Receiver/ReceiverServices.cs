using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Pushes;
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
    PlatformPushes Pushes,
    ReceiverMetrics Metrics,
    IndicatorServices Indicators,
    AdminTokens Tokens,
    AuditLog Audit,
    TimeProvider Time);

/// <summary>The indicator side, as the admin endpoints and metrics need it.</summary>
internal sealed record IndicatorServices(ItemCatalogue Items, IndicatorOptions Options, IndicatorEngine Engine, IndicatorMetrics Metrics);
