namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Issue 21: ingest through Mosquitto into one receiver on SQLite, one on PostgreSQL and two on PostgreSQL (a group
/// behind a shared subscription), each against the do-nothing subscriber on the same broker; PostgreSQL is Debian's,
/// a private cluster started for the run (fsync and synchronous_commit on, as the store requires).
/// </summary>
public static class ReceiverGroupScenario
{
    public static async Task RunAsync(IngestLoadOptions options, ResultTable table, TextWriter log)
    {
        var mosquitto = MosquittoBroker.Find() ?? throw new InvalidOperationException("Mosquitto is not installed (Debian package mosquitto)");
        using var broker = MosquittoBroker.Start(mosquitto);
        using var postgres = PostgresServer.Start();
        var targets = new List<IIngestTarget>();
        try
        {
            var baseline = IngestScenarios.Track(targets, new MosquittoNullSubscriberTarget(broker));
            var sqlite = IngestScenarios.Track(targets, await ReceiverTarget.StartAsync("Mosquitto -> receiver, SQLite", options.Gateways, broker.Port));
            var one = IngestScenarios.Track(targets, await ReceiverGroupTarget.StartAsync(
                "Mosquitto -> receiver, PostgreSQL", 1, options.Gateways, broker.Port, postgres.CreateDatabase(), "pg1/v1"));
            var two = IngestScenarios.Track(targets, await ReceiverGroupTarget.StartAsync(
                "Mosquitto -> 2 receivers (shared subscription), PostgreSQL", 2, options.Gateways, broker.Port, postgres.CreateDatabase(), "pg2/v1"));
            await IngestTest.RunAsync(options, [(baseline, null), (sqlite, baseline), (one, baseline), (two, baseline)], table, log);
            var (bytes, readings) = one.DatabaseSize();
            table.Notes.Add($"{options.Gateways} gateways: the PostgreSQL database of one receiver holds {readings:N0} readings in {bytes / 1e6:N0} MB, "
                + $"{(double)bytes / Math.Max(1, readings):N0} bytes a reading (pg_database_size: tables, indexes and the signed packets, not the WAL).");
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
        "All on one Mosquitto, each target under its own topic prefix. Receiver latency is publish to commit; with two receivers, "
        + "to the first commit that includes the packet (their writer transactions take turns, docs/receiver.md, \"Receivers in a group\"). "
        + "PostgreSQL 15 from Debian, a private cluster on the same two cores as everything else.");
}
