using System.Buffers;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// The baseline: a subscriber that does nothing with the packets but note their arrival, subscribed and
/// acknowledging the way the receiver's external ingest does (MQTT 5, QoS 1, receive maximum 256, manual PUBACKs
/// sent in arrival order from a loop of their own), only without verifying and storing. Whatever the receiver does
/// beyond this is the cost measured. Its socket buffers are the receiver's: with MQTTnet's 8 KB default a burst
/// trickled in and runs stalled (docs/performance.md, issue 20 part 5).
/// </summary>
public sealed class NullSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<MqttApplicationMessageReceivedEventArgs> _unacknowledged;
    private readonly Task _acknowledging;
    private volatile bool _disposing;

    private NullSubscriber(IMqttClient client, Channel<MqttApplicationMessageReceivedEventArgs> unacknowledged)
    {
        _client = client;
        _unacknowledged = unacknowledged;
        _acknowledging = Task.Run(AcknowledgeInOrderAsync);
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
        var unacknowledged = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            unacknowledged.Writer.TryWrite(e);
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
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = EdgeMeter.Receiver.Ingest.ExternalBrokerIngest.SocketBufferBytes; // as the receiver
        await client.ConnectAsync(options);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{topicPrefix}/+/up", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return new NullSubscriber(client, unacknowledged);
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _unacknowledged.Writer.TryComplete();
        await _acknowledging;
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }

        _client.Dispose();
    }

    private async Task AcknowledgeInOrderAsync()
    {
        await foreach (var message in _unacknowledged.Reader.ReadAllAsync())
        {
            try
            {
                await message.AcknowledgeAsync(CancellationToken.None);
            }
            catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                LostConnection ??= $"acknowledging failed: {failure.Message}";
            }
        }
    }
}
