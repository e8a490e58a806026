using EdgeMeter.Receiver.Store;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// Receivers in a group (issue 21): several in-process receivers on one PostgreSQL database, sharing one Mosquitto
/// subscription. A packet counts as arrived when the first receiver's commit that includes it has returned (their
/// transactions take turns, so every commit notification covers all ids committed up to it, whoever wrote them).
/// </summary>
public sealed class ReceiverGroupTarget : IIngestTarget
{
    private readonly IReadOnlyList<ReceiverTarget> _receivers;

    private ReceiverGroupTarget(string name, IReadOnlyList<ReceiverTarget> receivers)
    {
        Name = name;
        _receivers = receivers;
    }

    public string Name { get; }

    public string TopicPrefix => _receivers[0].TopicPrefix;

    public int Port => _receivers[0].Port;

    public Func<string, (string? User, string? Password)>? Credentials => _receivers[0].Credentials;

    /// <summary><paramref name="count"/> receivers (under their own <paramref name="topicPrefix"/>) on the database at <paramref name="connectionString"/>, subscribed as one group on the broker at <paramref name="brokerPort"/>.</summary>
    public static async Task<ReceiverGroupTarget> StartAsync(string name, int count, int gateways, int brokerPort, string connectionString, string topicPrefix)
    {
        var receivers = new List<ReceiverTarget>();
        for (var i = 0; i < count; i++)
        {
            // Unique on the broker across groups: one client id per connection.
            var instance = $"{topicPrefix.Split('/')[0]}-{(char)('a' + i)}";
            receivers.Add(await ReceiverTarget.StartAsync($"{name} ({instance})", gateways, brokerPort, options =>
            {
                options.TopicPrefix = topicPrefix;
                options.Store.Database = EdgeMeter.Receiver.Config.StoreKind.Postgres;
                options.Store.ConnectionString = connectionString;
                options.Ingest.External.SharedGroup = "load";
                options.Ingest.External.InstanceId = instance;
            }));
        }

        return new ReceiverGroupTarget(name, receivers);
    }

    /// <summary>The writers' group commits so far and the seconds they spent in them, over the group.</summary>
    public (long Commits, double Seconds) WriterWork => (_receivers.Sum(r => r.WriterWork.Commits), _receivers.Sum(r => r.WriterWork.Seconds));

    /// <summary>The database's size (pg_database_size) and the readings it holds.</summary>
    public (long Bytes, long Readings) DatabaseSize() =>
        _receivers[0].Receiver.Store.Read(db => (
            db.ScalarLong("SELECT pg_database_size(current_database())") ?? 0,
            db.ScalarLong("SELECT COUNT(*) FROM readings") ?? 0));

    public async Task AttachAsync(DeliveryClock clock)
    {
        foreach (var receiver in _receivers)
        {
            await receiver.AttachAsync(clock);
        }
    }

    public async Task DetachAsync()
    {
        foreach (var receiver in _receivers)
        {
            await receiver.DetachAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in _receivers)
        {
            await receiver.DisposeAsync();
        }
    }
}
