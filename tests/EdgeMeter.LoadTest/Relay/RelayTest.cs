using System.Diagnostics;
using System.Globalization;
using EdgeMeter.LoadTest.Ingest;
using EdgeMeter.LoadTest.Support;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Config;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.LoadTest.Relay;

/// <summary>How much the relay test stores and how steady the load is.</summary>
public sealed record RelayOptions
{
    public int Gateways { get; init; } = 20;

    /// <summary>Packets per gateway stored at once, then relayed: the backlog each tier drains.</summary>
    public int BacklogPacketsPerGateway { get; init; } = 500;

    /// <summary>The steady load: packets per second over all gateways (x 6 readings).</summary>
    public int SteadyPacketsPerSecond { get; init; } = 500;

    public TimeSpan SteadyDuration { get; init; } = TimeSpan.FromSeconds(20);

    public int Runs { get; init; } = 3;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(180);
}

/// <summary>
/// Issue 9, part 2: the receiver (embedded broker) relays to three tiers at once: the platform simulator's HTTP
/// interface one indicator record per request (the standard interface), the same with our batch extension (a second
/// simulator), and MQTT (the original packets to a Mosquitto, counted by a subscriber). Backlog: every gateway's
/// packets are stored at once and each tier's delivery rate is measured until it has everything. Steady load:
/// packets arrive at a fixed rate and each tier's lag (rows stored, not yet relayed) is sampled every 200 ms.
/// </summary>
public static class RelayTest
{
    private const string Password = PlatformSimOptions.DefaultPassword;
    private static readonly string[] HttpTiers = ["http-per-record", "http-batch"];

    public static async Task<ResultTable> RunAsync(RelayOptions options, TextWriter log)
    {
        var table = new ResultTable(
            "relay",
            $"Relay: readings delivered per tier, {options.Gateways} gateways (issue 9, part 2)",
            "tier", "backlog readings", "readings/s (median)", "steady load readings/s", "lag p50 readings", "lag max readings", "lag p50 s");
        var readingsPerPacket = SignedPackets.ReadingsPerPacket;
        var mosquittoPath = MosquittoBroker.Find();
        using var mosquitto = mosquittoPath == null ? null : MosquittoBroker.Start(mosquittoPath);
        await using var perRecord = await StartSimAsync(HttpTiers[0]);
        await using var batch = await StartSimAsync(HttpTiers[1]);
        var mqttReadings = new ReadingCounter();
        await using var platformBroker = mosquitto == null ? null : await ReadingCounter.SubscribeAsync(mosquitto.Port, mqttReadings);
        var tiers = new List<(string Name, Func<long> Delivered)>
        {
            (HttpTiers[0], () => perRecord.Stats.Accepted),
            (HttpTiers[1], () => batch.Stats.Accepted),
        };
        if (mosquitto != null)
        {
            tiers.Add(("mqtt", () => mqttReadings.Count));
        }
        else
        {
            table.Notes.Add("Mosquitto is not installed: the MQTT tier was not measured.");
        }

        var rates = tiers.ToDictionary(t => t.Name, _ => new List<double>());
        long nextSequence = 1;
        for (var run = 0; run < options.Runs; run++)
        {
            var packets = new SignedPackets(options.Gateways, options.BacklogPacketsPerGateway, nextSequence);
            nextSequence += options.BacklogPacketsPerGateway;
            var expected = (long)packets.Count * readingsPerPacket;
            var directory = Directory.CreateTempSubdirectory("edgemeter-load-relay-").FullName;
            try
            {
                // Store the backlog with no platform configured, then start again with the three: every tier starts from the beginning.
                await using (var ingest = await ReceiverTarget.StartAsync("receiver", options.Gateways, externalPort: null, directory: directory))
                {
                    await GatewayFleet.PublishAsync("127.0.0.1", ingest.Port, packets, new DeliveryClock(packets), 8, ingest.TopicPrefix, ingest.Credentials, CancellationToken.None);
                }

                QueueIndicatorRecords(Path.Combine(directory, "receiver.db"), expected, run);

                var before = tiers.ToDictionary(t => t.Name, t => t.Delivered());
                await using var relay = await ReceiverTarget.StartAsync("receiver", options.Gateways, externalPort: null, o => Configure(o, options.Gateways, perRecord, batch, mosquitto?.Port), directory);
                var started = Stopwatch.GetTimestamp();
                var pending = tiers.ToList();
                var deadline = started + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
                while (pending.Count > 0 && Stopwatch.GetTimestamp() < deadline)
                {
                    foreach (var tier in pending.ToList().Where(t => t.Delivered() - before[t.Name] >= expected))
                    {
                        var rate = expected / Stopwatch.GetElapsedTime(started).TotalSeconds;
                        rates[tier.Name].Add(rate);
                        pending.Remove(tier);
                        log.WriteLine($"relay: {tier.Name}, run {run + 1}: {expected} readings in {expected / rate:F2} s = {rate:F0} readings/s");
                    }

                    await Task.Delay(10);
                }

                if (pending.Count > 0)
                {
                    throw new TimeoutException($"relay: {string.Join(", ", pending.Select(p => p.Name))} did not deliver {expected} readings within {options.Timeout.TotalSeconds} s");
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        await using var receiver = await ReceiverTarget.StartAsync("receiver", options.Gateways, externalPort: null, receiverOptions =>
            Configure(receiverOptions, options.Gateways, perRecord, batch, mosquitto?.Port));
        var lags = await SteadyLoadAsync(options, receiver, tiers.Select(t => t.Name).ToList(), nextSequence, log);
        var steadyRate = (double)options.SteadyPacketsPerSecond * readingsPerPacket;
        foreach (var (name, _) in tiers)
        {
            var p50 = Stats.Median(lags[name]);
            table.Add(name, (long)options.Gateways * options.BacklogPacketsPerGateway * readingsPerPacket, Stats.Median(rates[name]), steadyRate, p50, lags[name].Max(), p50 / steadyRate);
        }

        table.Notes.Add(
            "readings/s: a backlog stored with no platform configured, then relayed by all three tiers at once after a restart: readings / time "
            + "from the restart to the tier's last delivery (the platform simulator's accepted records; "
            + "MQTT: readings in the packets a subscriber on the platform broker received). The HTTP tiers carry indicator records, not readings: "
            + "the backlog queues as many real-time records as there are readings (docs/indicators.md); the steady load makes none, so their lag there is 0. "
            + $"Lag: rows stored but not yet relayed, sampled every 200 ms for {options.SteadyDuration.TotalSeconds:F0} s at the steady load; lag s = lag / steady rate. "
            + "HTTP per record is the platforms' standard interface (one request per record); batch is our extension, simulator only.");
        return table;
    }

    private static async Task<Dictionary<string, List<double>>> SteadyLoadAsync(
        RelayOptions options, ReceiverTarget receiver, List<string> tiers, long firstSequence, TextWriter log)
    {
        var perGateway = Math.Max(1, (int)(options.SteadyPacketsPerSecond * options.SteadyDuration.TotalSeconds / options.Gateways));
        var packets = new SignedPackets(options.Gateways, perGateway, firstSequence);
        var lags = tiers.ToDictionary(t => t, _ => new List<double>());
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var tier in tiers)
                {
                    // The HTTP tiers count readings; the MQTT tier counts packets (6 readings each here).
                    lags[tier].Add(receiver.Receiver.RelayLag(tier) * (tier == "mqtt" ? SignedPackets.ReadingsPerPacket : 1));
                }

                try
                {
                    await Task.Delay(200, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        await PacedFleet.PublishAsync(receiver.Port, packets, options.SteadyPacketsPerSecond, receiver.Credentials);
        await sampling.CancelAsync();
        await sampler;
        log.WriteLine($"relay: steady load of {options.SteadyPacketsPerSecond} packets/s: lag p50 {string.Join(", ", tiers.Select(t => $"{t} {Stats.Median(lags[t]):F0}"))} readings");
        return lags;
    }

    private static void Configure(ReceiverOptions options, int gateways, RunningPlatformSim perRecord, RunningPlatformSim batch, int? mqttPort)
    {
        PlatformOptions Http(string name, RunningPlatformSim sim, bool supportsBatch) => new()
        {
            Name = name,
            Http = new HttpPlatformOptions
            {
                BaseAddress = sim.BaseAddress.ToString(),
                EnterprisePasswords = { [ReceiverTarget.EnterpriseCode] = Password },
                SupportsBatch = supportsBatch,
            },
        };

        options.Platforms.Add(Http(HttpTiers[0], perRecord, false));
        options.Platforms.Add(Http(HttpTiers[1], batch, true));
        if (mqttPort is { } port)
        {
            options.Platforms.Add(new PlatformOptions
            {
                Name = "mqtt",
                Mqtt = new MqttPlatformOptions { Host = "127.0.0.1", Port = port, ClientId = "svc.receiver-relay-load", TopicPrefix = "platform/v1" },
            });
        }

        options.Enterprises[0].Platforms = [.. options.Platforms.Select(p => p.Name)];
    }

    /// <summary>
    /// The HTTP tiers upload indicator records (docs/indicators.md), which readings stamped within one minute never
    /// make, so the backlog they drain is queued directly: as many real-time records as the MQTT tier has readings,
    /// six data items, consecutive quarter hours, a different day per run so every idempotency key is new.
    /// </summary>
    private static void QueueIndicatorRecords(string database, long count, int run)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database}");
        db.Open();
        using var transaction = db.BeginTransaction();
        using var insert = db.CreateCommand();
        insert.CommandText =
            "INSERT INTO indicator_uploads(enterprise, data_code, stat_type, start_t, value, valid, flags, revision, convert_ration, scope, input_type, created_at) " +
            "VALUES ($e, $c, 0, $t, $v, 1, 0, 0, '1.229', 1, 1, '2026-01-01T00:00:00Z')";
        insert.Parameters.AddWithValue("$e", ReceiverTarget.EnterpriseCode);
        var code = insert.Parameters.AddWithValue("$c", "");
        var time = insert.Parameters.AddWithValue("$t", 0L);
        var value = insert.Parameters.AddWithValue("$v", "");
        var firstQuarter = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddDays(run * 1000).ToUnixTimeMilliseconds();
        for (var i = 0L; i < count; i++)
        {
            code.Value = "0000000001120000" + ((i % SignedPackets.ReadingsPerPacket) + 1).ToString("00", CultureInfo.InvariantCulture);
            time.Value = firstQuarter + (i / SignedPackets.ReadingsPerPacket * 900_000L);
            value.Value = (12.5m + (i % 97)).ToString(CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static Task<RunningPlatformSim> StartSimAsync(string name)
    {
        var options = new PlatformSimOptions { Name = name };
        options.Enterprises[ReceiverTarget.EnterpriseCode] = Password;
        return PlatformSimulator.StartAsync(options, 0);
    }

    /// <summary>Readings in the packets a platform broker delivers to a subscriber of platform/v1/+/up.</summary>
    private sealed class ReadingCounter
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public static async Task<Subscription> SubscribeAsync(int port, ReadingCounter counter)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += _ =>
            {
                Interlocked.Add(ref counter._count, SignedPackets.ReadingsPerPacket);
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("load.platform-subscriber").Build());
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("platform/v1/+/up", MqttQualityOfServiceLevel.AtLeastOnce).Build());
            return new Subscription(client);
        }
    }

    private sealed class Subscription(IMqttClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions());
            client.Dispose();
        }
    }
}
