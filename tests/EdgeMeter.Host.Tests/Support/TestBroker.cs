using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Server;

namespace EdgeMeter.Host.Tests.Support;

/// <summary>An in-process MQTT broker on a loopback port that records every publish it acknowledges.</summary>
public sealed class TestBroker : IAsyncDisposable
{
    private MqttServer? _server;

    public TestBroker(int? port = null)
    {
        Port = port ?? FreePort.Next();
    }

    public int Port { get; }

    public ConcurrentQueue<MqttApplicationMessage> Received { get; } = new();

    public bool IsRunning => _server is not null;

    public async Task StartAsync()
    {
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(Port).WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += e =>
        {
            Received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _server.StopAsync();
        _server.Dispose();
        _server = null;
    }

    public Task InjectAsync(string topic, byte[] payload) =>
        _server!.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build()) { SenderClientId = "platform" });

    public List<MqttApplicationMessage> On(string suffix) => Received.Where(m => m.Topic.EndsWith(suffix, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync() => await StopAsync();
}
