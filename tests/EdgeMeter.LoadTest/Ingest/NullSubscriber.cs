using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// The baseline: a subscriber that does nothing with the packets but note their arrival, subscribed the way the
/// receiver subscribes (MQTT 5, QoS 1, receive maximum 256), acknowledging each as soon as its handler returns.
/// Whatever the receiver does beyond this (verify, store durably, acknowledge after commit) is the cost measured.
/// </summary>
public sealed class NullSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private volatile bool _disposing;

    private NullSubscriber(IMqttClient client)
    {
        _client = client;
        client.DisconnectedAsync += e =>
        {
            if (!_disposing)
            {
                LostConnection = $"{e.Reason} {e.ReasonString} {e.Exception?.Message}".Trim();
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Why the broker connection ended before the run did (null while connected).</summary>
    public string? LostConnection { get; private set; }

    public static async Task<NullSubscriber> StartAsync(string host, int port, string topicPrefix, DeliveryClock clock)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            var sequence = payload.IsSingleSegment ? SignedPackets.SequenceOf(payload.FirstSpan) : SignedPackets.SequenceOf(payload.ToArray());
            clock.Arrival(SignedPackets.GatewayIndexOf(e.ApplicationMessage.Topic), sequence);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("load.null-subscriber")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithReceiveMaximum(256)
            .Build();
        await client.ConnectAsync(options);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{topicPrefix}/+/up", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return new NullSubscriber(client);
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }

        _client.Dispose();
    }
}
