using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
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

    /// <summary>"gw:n" of every reading in the packets the platform's broker received (a packet relayed twice counts once).</summary>
    public HashSet<string> RelayedReadings() =>
        Published.Where(p => p.Topic.EndsWith("/up", StringComparison.Ordinal)).SelectMany(p =>
        {
            using var packet = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(p.Payload.Split('.')[1]));
            var gateway = packet.RootElement.GetProperty("gw").GetString();
            return ReadingNumbers(packet.RootElement).Select(n => $"{gateway}:{n}").ToList();
        }).ToHashSet();

    /// <summary>The "n" of every reading in an "up" payload: one per object in v1; in v2 "n" counts on through the rows' values.</summary>
    private static IEnumerable<long> ReadingNumbers(JsonElement payload)
    {
        var rows = payload.GetProperty("r").EnumerateArray();
        if (payload.GetProperty("v").GetInt32() == 1)
        {
            return rows.Select(r => r.GetProperty("n").GetInt64()).ToList();
        }

        var values = rows.Sum(row => row.GetArrayLength() - (row[2].ValueKind == JsonValueKind.Array ? 4 : 3));
        return Enumerable.Range(0, values).Select(i => payload.GetProperty("n").GetInt64() + i).ToList();
    }
}
