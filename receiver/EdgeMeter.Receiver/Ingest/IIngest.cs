namespace EdgeMeter.Receiver.Ingest;

/// <summary>
/// Where gateway packets come in, in either mode (<see cref="EmbeddedBrokerIngest"/>, or
/// <see cref="ExternalBrokerIngest"/> as a client of another broker): started once, stopped by disposing, and the
/// link down to the gateways while it runs.
/// </summary>
public interface IIngest : IGatewayLink, IAsyncDisposable
{
    Task StartAsync();
}
