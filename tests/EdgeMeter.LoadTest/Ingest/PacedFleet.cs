using System.Diagnostics;
using EdgeMeter.LoadTest.Ingest;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// A steady load: the gateways' packets published round-robin at a fixed total rate (QoS 1, acknowledgements awaited in
/// the background). <paramref name="acknowledged"/>, if given, is told when each PUBACK came back: publish to PUBACK,
/// which a receiver with its embedded broker sends only after the commit that stored the packet.
/// </summary>
public static class PacedFleet
{
    public static async Task PublishAsync(
        int port, SignedPackets packets, int packetsPerSecond, Func<string, (string? User, string? Password)>? credentials,
        string topicPrefix = "edgemeter/v1", DeliveryClock? clock = null, DeliveryClock? acknowledged = null)
    {
        var clients = new List<IMqttClient>();
        try
        {
            foreach (var id in packets.Gateways)
            {
                var client = new MqttClientFactory().CreateMqttClient();
                var (user, password) = credentials?.Invoke(id) ?? (null, null);
                var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311);
                if (user != null)
                {
                    options.WithCredentials(user, password);
                }

                await client.ConnectAsync(options.Build());
                clients.Add(client);
            }

            var pending = new List<Task>();
            var started = Stopwatch.GetTimestamp();
            var sent = 0;
            var perGateway = packets.Packets[0].Length;
            for (var i = 0; i < perGateway; i++)
            {
                for (var g = 0; g < clients.Count; g++)
                {
                    var due = started + (long)(sent * (double)Stopwatch.Frequency / packetsPerSecond);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    var message = new MqttApplicationMessageBuilder().WithTopic($"{topicPrefix}/{packets.Gateways[g]}/up").WithPayload(packets.Packets[g][i])
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    clock?.Published(g, i);
                    acknowledged?.Published(g, i);
                    var publish = clients[g].PublishAsync(message);
                    if (acknowledged != null)
                    {
                        var (gateway, sequence) = (g, packets.FirstSequence + i);
                        publish = publish.ContinueWith(
                            done =>
                            {
                                if (done.IsCompletedSuccessfully)
                                {
                                    acknowledged.Arrival(gateway, sequence);
                                }

                                return done.Result;
                            },
                            TaskContinuationOptions.ExecuteSynchronously);
                    }

                    pending.Add(publish);
                    sent++;
                }
            }

            await Task.WhenAll(pending);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions());
                client.Dispose();
            }
        }
    }
}
