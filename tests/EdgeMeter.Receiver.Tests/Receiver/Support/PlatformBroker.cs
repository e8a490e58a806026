using System.Collections.Concurrent;
using System.Text;
using MQTTnet.Server;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>A platform's own MQTT broker (a plain MQTTnet server) recording everything published to it.</summary>
internal sealed class PlatformBroker : IAsyncDisposable
{
    private MqttServer? _server;

    public int Port { get; } = FreePort.Next();

    public ConcurrentQueue<(string Topic, string Payload, bool Retain)> Published { get; } = new();

    public async Task StartAsync()
    {
        var server = new MqttServerFactory().CreateMqttServer(
            new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(System.Net.IPAddress.None).WithDefaultEndpointPort(Port).Build());
        server.InterceptingPublishAsync += e =>
        {
            Published.Enqueue((e.ApplicationMessage.Topic, Encoding.ASCII.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
