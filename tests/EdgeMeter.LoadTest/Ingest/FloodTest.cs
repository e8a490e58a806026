using System.Diagnostics;
using EdgeMeter.LoadTest.Support;
using EdgeMeter.Receiver.Store;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// What one logged-in gateway flooding forged packets costs the others (issue 19): the embedded-broker receiver,
/// good gateways publishing at a steady pace (publish to PUBACK, which the receiver sends after the commit), and one
/// gateway publishing packets with a broken signature as fast as it can, reconnecting whenever it is cut off. Three
/// runs: no flood, a flood with the flood guard (QuarantinedPerMinute 120, the default), a flood without it.
/// </summary>
public static class FloodTest
{
    public static async Task<ResultTable> RunAsync(int goodGateways, int packetsPerSecond, TimeSpan duration, TextWriter log)
    {
        var table = new ResultTable(
            "flood", $"{goodGateways} gateways at {packetsPerSecond} packets/s in all while one floods forged packets (issue 19)",
            "run", "good packets", "p50 ms", "p99 ms", "max ms", "flood packets sent", "quarantined (counted)", "quarantine rows", "flood disconnects");
        foreach (var (run, flood, guardLimit) in new[] { ("no flood", false, 120), ("flood, guard on (120/min)", true, 120), ("flood, guard off", true, 1_000_000) })
        {
            await using var target = await ReceiverTarget.StartAsync("flood", goodGateways + 1, externalPort: null,
                options => options.Ingest.Embedded.Limits.QuarantinedPerMinute = guardLimit);
            var packets = new SignedPackets(goodGateways + 1, (int)(packetsPerSecond * duration.TotalSeconds / goodGateways) + 1, firstSequence: 1);
            using var stop = new CancellationTokenSource(duration);
            var flooding = flood ? FloodAsync(target.Port, packets, goodGateways, stop.Token) : Task.FromResult(0L);
            var latencies = await PublishSteadilyAsync(target.Port, packets, goodGateways, packetsPerSecond, stop.Token);
            var sent = await flooding;
            var (counted, rows) = target.Receiver.Store.Read(db => (
                db.ScalarLong("SELECT COALESCE(SUM(total), 0) FROM quarantine_counts") ?? 0, db.ScalarLong("SELECT COUNT(*) FROM quarantine") ?? 0));
            table.Add(run, latencies.Count, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), latencies.Count == 0 ? 0 : latencies.Max(),
                sent, counted, rows, target.Receiver.Metrics.Snapshot().FloodDisconnects);
            log.WriteLine($"flood: {run}: {latencies.Count} good packets, p99 {Stats.Percentile(latencies, 99):F1} ms; {sent} forged sent, {counted} quarantined, {rows} kept");
        }

        table.Notes.Add("Latency is publish to PUBACK of the good gateways (the receiver acknowledges after the commit). The flooder publishes at QoS 1 and waits for each PUBACK, like a gateway; when cut off it tries to log in again every 100 ms.");
        return table;
    }

    private static async Task<List<double>> PublishSteadilyAsync(int port, SignedPackets packets, int gateways, int packetsPerSecond, CancellationToken stop)
    {
        var latencies = new List<double>();
        var clients = new List<IMqttClient>();
        try
        {
            for (var g = 0; g < gateways; g++)
            {
                clients.Add(await ConnectAsync(port, packets.Gateways[g]));
            }

            var interval = TimeSpan.FromSeconds(1.0 / packetsPerSecond);
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (g, n) = (i % gateways, i / gateways);
                if (n >= packets.Packets[g].Length)
                {
                    break;
                }

                var due = started + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), CancellationToken.None);
                }

                var sent = Stopwatch.GetTimestamp();
                await clients[g].PublishAsync(Message(packets.Gateways[g], packets.Packets[g][n]), CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        return latencies;
    }

    private static async Task<long> FloodAsync(int port, SignedPackets packets, int flooderIndex, CancellationToken stop)
    {
        var id = packets.Gateways[flooderIndex];
        var forged = packets.Packets[flooderIndex][0].ToArray();
        forged[^2] ^= 0x01; // a broken signature
        long sent = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = await ConnectAsync(port, id);
                while (!stop.IsCancellationRequested && client.IsConnected)
                {
                    await client.PublishAsync(Message(id, forged), stop);
                    sent++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(100, CancellationToken.None); // refused or cut off: try again soon, as a broken gateway would
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return sent;
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string id)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port).WithClientId(id).WithCredentials(id, ReceiverTarget.GatewayPassword)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanSession(true).Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"{id}: {result.ResultCode}");
        }

        return client;
    }

    private static MqttApplicationMessage Message(string gateway, byte[] packet) => new MqttApplicationMessageBuilder()
        .WithTopic($"edgemeter/v1/{gateway}/up").WithPayload(packet).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
}
