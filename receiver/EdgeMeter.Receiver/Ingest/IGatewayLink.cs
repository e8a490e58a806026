namespace EdgeMeter.Receiver.Ingest;

/// <summary>The way down to gateways, whichever ingest mode: who can take a command now, and sending it.</summary>
public interface IGatewayLink
{
    /// <summary>Raised when a gateway becomes able to receive commands (it subscribed to its down topic).</summary>
    event Action<string>? GatewayReady;

    /// <summary>True while the ingest accepts packets (embedded broker listening, or connected to the external broker).</summary>
    bool IsRunning { get; }

    int ConnectedGateways { get; }

    /// <summary>Connections made to the external broker since start (0 for the embedded one); growing means the link keeps dropping.</summary>
    long BrokerConnects { get; }

    bool IsReady(string gatewayId);

    /// <summary>Publishes a signed command at QoS 1, never retained. False when it could not be handed over.</summary>
    Task<bool> DeliverAsync(string gatewayId, string topic, byte[] packet, CancellationToken cancellation);
}
