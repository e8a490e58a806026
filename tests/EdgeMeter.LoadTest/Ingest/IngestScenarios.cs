using EdgeMeter.Benchmarks.Support;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>Starts the brokers and targets of part 1, runs them against their baselines, and stops them.</summary>
public static class IngestScenarios
{
    public static async Task<ResultTable> RunAsync(IngestOptions options, TextWriter log)
    {
        var table = IngestTest.CreateTable(options);
        var mosquitto = MosquittoBroker.Find();
        if (mosquitto == null)
        {
            table.Notes.Add("Mosquitto is not installed (Debian package mosquitto): the Mosquitto rows were skipped.");
        }

        using var broker = mosquitto == null ? null : MosquittoBroker.Start(mosquitto);
        await using var embedded = await PlainMqttnetBrokerTarget.StartAsync();
        var pairs = new List<(IIngestTarget Target, IIngestTarget? Baseline)>();
        MosquittoNullSubscriberTarget? baseline = null;
        if (broker != null)
        {
            baseline = new MosquittoNullSubscriberTarget(broker, options.TopicPrefix);
            pairs.Add((baseline, null));
        }

        pairs.Add((embedded, null));
        try
        {
            await IngestTest.RunAsync(options, pairs, table, log);
        }
        finally
        {
            if (baseline != null)
            {
                await baseline.DisposeAsync();
            }
        }

        table.Notes.Add("The receiver's rows (verify + SQLite group commit + acknowledge) are added once the receiver is in main.");
        return table;
    }
}
