
namespace EdgeMeter.LoadTest.Ingest;

/// <summary>Starts the brokers and targets of part 1, runs them against their baselines, and stops them.</summary>
public static class IngestScenarios
{
    /// <summary>Adds the rows for <paramref name="options"/>.Gateways gateways to <paramref name="table"/> (<see cref="IngestTest.CreateTable"/>).</summary>
    public static async Task RunAsync(IngestLoadOptions options, ResultTable table, TextWriter log)
    {
        var mosquitto = MosquittoBroker.Find();
        if (mosquitto == null && table.Notes.Count == 0)
        {
            table.Notes.Add("Mosquitto is not installed (Debian package mosquitto): the Mosquitto rows were skipped.");
        }

        using var broker = mosquitto == null ? null : MosquittoBroker.Start(mosquitto);
        var targets = new List<IIngestTarget>();
        try
        {
            var pairs = new List<(IIngestTarget Target, IIngestTarget? Baseline)>();
            if (broker != null)
            {
                var baseline = Track(targets, new MosquittoNullSubscriberTarget(broker));
                var receiver = Track(targets, await ReceiverTarget.StartAsync("Mosquitto -> receiver (external ingest)", options.Gateways, broker.Port));
                pairs.Add((baseline, null));
                pairs.Add((receiver, baseline));
            }

            var plain = Track(targets, await PlainMqttnetBrokerTarget.StartAsync());
            var embedded = Track(targets, await ReceiverTarget.StartAsync("receiver (embedded broker)", options.Gateways, externalPort: null));
            pairs.Add((plain, null));
            pairs.Add((embedded, plain));
            await IngestTest.RunAsync(options, pairs, table, log);
        }
        catch (TimeoutException) when (broker != null)
        {
            log.WriteLine("mosquitto's log:" + Environment.NewLine + broker.LogTail());
            throw;
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    public static void AddNotes(ResultTable table) => table.Notes.Add(
        "Baselines get the same load on the same broker (under their own topic prefix): a subscriber (Mosquitto) or a publish handler "
        + "(MQTTnet) that does nothing. Receiver latency is publish to commit (SQLite, synchronous=FULL, group commit); baseline latency "
        + "is publish to arrival. Publishers, broker and receiver share the machine's cores.");

    internal static T Track<T>(List<IIngestTarget> targets, T target)
        where T : IIngestTarget
    {
        targets.Add(target);
        return target;
    }
}
