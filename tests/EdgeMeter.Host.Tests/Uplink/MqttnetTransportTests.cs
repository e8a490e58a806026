using System.Collections.Concurrent;
using System.Text;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.Pc.Uplink;
using MQTTnet;
using MQTTnet.Server;

namespace EdgeMeter.Host.Tests.Uplink;

public sealed class MqttnetTransportTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private readonly ConcurrentQueue<MqttApplicationMessage> _seenByBroker = new();
    private MqttServer? _broker;

    public async ValueTask InitializeAsync()
    {
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(_port).Build();
        _broker = new MqttServerFactory().CreateMqttServer(options);
        _broker.InterceptingPublishAsync += e =>
        {
            _seenByBroker.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await _broker.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.StopAsync();
            _broker.Dispose();
        }
    }

    [Fact]
    public async Task Publishes_are_acknowledged_and_commands_arrive()
    {
        var listener = new RecordingListener();
        using var transport = new MqttnetTransport(new MqttTransportOptions("127.0.0.1", _port, "gw-test", null, null, false));
        transport.SetListener(listener);

        Assert.Null(transport.Connect("edgemeter/v1/gw-test/status", Encoding.UTF8.GetBytes("offline"), "edgemeter/v1/gw-test/down"));
        Assert.True(transport.IsConnected);

        var payload = Encoding.UTF8.GetBytes("packet-bytes-and-padding");
        var token = transport.Publish("edgemeter/v1/gw-test/up", payload, 12, retain: false);
        Assert.True(token >= 0);
        Assert.Equal((token, true), await listener.Published.Reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Contains(_seenByBroker, m => m.Topic == "edgemeter/v1/gw-test/up" && Encoding.UTF8.GetString(m.Payload) == "packet-bytes");

        await _broker!.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder().WithTopic("edgemeter/v1/gw-test/down").WithPayload("cmd").Build()) { SenderClientId = "receiver" },
            TestContext.Current.CancellationToken);
        var (topic, body) = await listener.Messages.Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("edgemeter/v1/gw-test/down", topic);
        Assert.Equal("cmd", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Unreachable_broker_is_a_reason_not_an_exception()
    {
        using var transport = new MqttnetTransport(new MqttTransportOptions("127.0.0.1", FreePort.Next(), "gw-test", null, null, false));
        transport.SetListener(new RecordingListener());
        var reason = transport.Connect("t/status", [], "t/down");
        Assert.NotNull(reason);
        Assert.Contains("cannot reach the broker", reason, StringComparison.Ordinal);
        Assert.Equal(-1, transport.Publish("t/up", [1], 1, false));
    }

    private sealed class RecordingListener : IMqttTransportListener
    {
        public System.Threading.Channels.Channel<(int, bool)> Published { get; } = System.Threading.Channels.Channel.CreateUnbounded<(int, bool)>();

        public System.Threading.Channels.Channel<(string, byte[])> Messages { get; } = System.Threading.Channels.Channel.CreateUnbounded<(string, byte[])>();

        void IMqttTransportListener.Published(int token, bool acknowledged) => Published.Writer.TryWrite((token, acknowledged));

        public void MessageArrived(string topic, byte[] payload) => Messages.Writer.TryWrite((topic, payload));

        public void ConnectionLost(string reason)
        {
        }
    }
}
