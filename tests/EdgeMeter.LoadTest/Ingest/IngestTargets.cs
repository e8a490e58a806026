using System.Net;
using System.Buffers;
using MQTTnet;
using MQTTnet.Server;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>Where a run publishes to, and what marks a packet as arrived there.</summary>
public interface IIngestTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The topic prefix the gateways publish under (distinct per target, so targets sharing a broker never see each other's load).</summary>
    string TopicPrefix { get; }

    /// <summary>The broker the gateways publish to.</summary>
    int Port { get; }

    /// <summary>Broker credentials per gateway id (null: anonymous).</summary>
    Func<string, (string? User, string? Password)>? Credentials { get; }

    /// <summary>Starts noting arrivals on <paramref name="clock"/> (before the gateways publish).</summary>
    Task AttachAsync(DeliveryClock clock);

    Task DetachAsync();

    /// <summary>What the target can tell about a run that did not complete (null: nothing).</summary>
    string? Diagnosis => null;
}

/// <summary>Baseline on Mosquitto: the do-nothing subscriber, under its own topic prefix (the receiver on the same broker does not see its load).</summary>
public sealed class MosquittoNullSubscriberTarget(MosquittoBroker broker) : IIngestTarget
{
    private NullSubscriber? _subscriber;

    public string Name => "Mosquitto -> do-nothing subscriber";

    public string TopicPrefix => "baseline/v1";

    public int Port => broker.Port;

    public Func<string, (string? User, string? Password)>? Credentials => null;

    public async Task AttachAsync(DeliveryClock clock) => _subscriber = await NullSubscriber.StartAsync("127.0.0.1", broker.Port, TopicPrefix, clock);

    public string? Diagnosis => _subscriber is { } subscriber
        ? subscriber.LostConnection is { } lost ? $"the subscriber lost its connection: {lost}" : "the subscriber is still connected"
        : null;

    public async Task DetachAsync()
    {
        if (_subscriber != null)
        {
            await _subscriber.DisposeAsync();
            _subscriber = null;
        }
    }

    public ValueTask DisposeAsync() => new(DetachAsync());
}

/// <summary>Baseline for the embedded broker: a plain MQTTnet server (same version as the receiver's) that accepts and acknowledges every publish and does nothing else.</summary>
public sealed class PlainMqttnetBrokerTarget : IIngestTarget
{
    private readonly MqttServer _server;
    private DeliveryClock? _clock;

    private PlainMqttnetBrokerTarget(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public string Name => "MQTTnet broker, do-nothing";

    public string TopicPrefix => "edgemeter/v1";

    public int Port { get; }

    public Func<string, (string? User, string? Password)>? Credentials => null;

    public static async Task<PlainMqttnetBrokerTarget> StartAsync()
    {
        var port = FreePort.Next();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var target = new PlainMqttnetBrokerTarget(server, port);
        server.InterceptingPublishAsync += e =>
        {
            var clock = Volatile.Read(ref target._clock);
            if (clock != null)
            {
                var payload = e.ApplicationMessage.Payload;
                var sequence = payload.IsSingleSegment ? SignedPackets.SequenceOf(payload.FirstSpan) : SignedPackets.SequenceOf(payload.ToArray());
                clock.Arrival(SignedPackets.GatewayIndexOf(e.ApplicationMessage.Topic), sequence);
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        return target;
    }

    public Task AttachAsync(DeliveryClock clock)
    {
        Volatile.Write(ref _clock, clock);
        return Task.CompletedTask;
    }

    public Task DetachAsync()
    {
        Volatile.Write(ref _clock, null);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
