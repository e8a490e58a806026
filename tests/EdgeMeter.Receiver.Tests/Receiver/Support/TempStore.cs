using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Relay.Http;
using EdgeMeter.Receiver.Verify;
using EdgeMeter.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>
/// A store with an ingest pipeline over it (no broker): SQLite in a temporary folder, or a new database in the test
/// run's PostgreSQL cluster (<see cref="PostgresServer.Shared"/>), or one such database another TempStore writes too
/// (<c>sharedPostgres</c>: two receivers in a group).
/// </summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(IPacketKeyStore? keys = null, DateTimeOffset? now = null, long replayWindow = 1_000_000, StoreKind? kind = null, string? sharedPostgres = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "edgemeter-receiver-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Time = new ManualTime(now ?? new DateTimeOffset(TestGateway.Now));
        Kind = sharedPostgres is null ? kind ?? TestStores.Default : StoreKind.Postgres;
        ConnectionString = sharedPostgres ?? (Kind == StoreKind.Postgres ? PostgresServer.Shared.CreateDatabase() : null);
        Store = ConnectionString is { } postgres
            ? PacketStore.OpenPostgres(postgres, 64, replayWindow, Time)
            : PacketStore.Open(Path.Combine(Directory, "receiver.db"), 64, replayWindow, Time);
        Intake = new PacketIntake(keys ?? ReceiverKeyStore.FromEntries(ReceiverTestKeys.All), new MqttTopics(), 1024);
        Pipeline = new IngestPipeline(Intake, Store, Metrics, Time, NullLogger.Instance);
    }

    public string Directory { get; }

    public StoreKind Kind { get; }

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString { get; }

    public ManualTime Time { get; }

    public PacketStore Store { get; }

    public PacketIntake Intake { get; }

    public ReceiverMetrics Metrics { get; } = new();

    public IngestPipeline Pipeline { get; }

    public Task<IngestResult> IngestAsync(string topic, string packet) =>
        Pipeline.IngestAsync("test", topic, System.Text.Encoding.UTF8.GetBytes(packet));

    public long Count(string sql, params (string, object?)[] args) => Store.Read(db => db.ScalarLong(sql, args) ?? 0);

    public List<string> Strings(string sql, params (string, object?)[] args) =>
        Store.Read(db => db.Query(sql, reader => reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!, args));

    public void Dispose()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
