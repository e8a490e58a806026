using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// N simulated gateways publishing their pre-signed packets at QoS 1 as fast as the broker acknowledges them, each
/// with at most <c>window</c> unacknowledged publishes (the device keeps a small in-flight window too). MQTT 3.1.1
/// with the gateway's id as client id, as the PC gateway connects.
/// </summary>
public static class GatewayFleet
{
    public static async Task PublishAsync(
        string host, int port, SignedPackets packets, DeliveryClock clock, int window, string topicPrefix,
        Func<string, (string? User, string? Password)>? credentials, CancellationToken cancel)
    {
        var factory = new MqttClientFactory();
        var clients = new IMqttClient[packets.Gateways.Length];
        try
        {
            for (var g = 0; g < clients.Length; g++)
            {
                clients[g] = factory.CreateMqttClient();
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithClientId(packets.Gateways[g])
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
                    .WithCleanSession(true)
                    .WithTimeout(TimeSpan.FromSeconds(30));
                var (user, password) = credentials?.Invoke(packets.Gateways[g]) ?? (null, null);
                if (user != null)
                {
                    options.WithCredentials(user, password);
                }

                var result = await clients[g].ConnectAsync(options.Build(), cancel);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"{packets.Gateways[g]}: the broker refused the connection ({result.ResultCode})");
                }
            }

            await Task.WhenAll(clients.Select((client, g) => PublishAllAsync(client, g, packets, clock, window, topicPrefix, cancel)));
        }
        finally
        {
            foreach (var client in clients.Where(c => c != null))
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
                }

                client.Dispose();
            }
        }
    }

    private static async Task PublishAllAsync(IMqttClient client, int gateway, SignedPackets packets, DeliveryClock clock, int window, string topicPrefix, CancellationToken cancel)
    {
        var topic = $"{topicPrefix}/{packets.Gateways[gateway]}/up";
        var messages = packets.Packets[gateway]
            .Select(p => new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(p).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())
            .ToArray();
        using var slots = new SemaphoreSlim(window);
        var failures = 0;
        for (var i = 0; i < messages.Length; i++)
        {
            await slots.WaitAsync(cancel);
            clock.Published(gateway, i);
            _ = client.PublishAsync(messages[i], cancel).ContinueWith(
                t =>
                {
                    if (!t.IsCompletedSuccessfully || !t.Result.IsSuccess)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    slots.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        for (var i = 0; i < window; i++)
        {
            await slots.WaitAsync(cancel);
        }

        if (failures > 0)
        {
            throw new InvalidOperationException($"{packets.Gateways[gateway]}: {failures} publishes were not acknowledged");
        }
    }
}
