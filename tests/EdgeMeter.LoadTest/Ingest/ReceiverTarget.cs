using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeMeter.Common.Keys;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Keys;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// The receiver, in-process: verify, SQLite group commit (synchronous=FULL), acknowledge. A packet counts as
/// arrived when the commit that stored it has returned: the store's commit notification reads the highest packet
/// id (one indexed query per commit, on its own connection), and a background loop maps the ids committed since
/// the previous notification to their gateway and sequence number, stamped with that commit's time.
/// </summary>
public sealed class ReceiverTarget : IIngestTarget
{
    public const string EnterpriseCode = PlatformSimOptions.DefaultEnterpriseCode;
    public const string GatewayPassword = "load-test-password";

    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly RunningReceiver _receiver;
    private readonly System.Data.Common.DbConnection _commitReader;
    private readonly ConcurrentQueue<(long MaxId, long Timestamp)> _commits = new();
    private readonly SemaphoreSlim _signal = new(0);
    private DeliveryClock? _clock;
    private CancellationTokenSource? _stopMapping;
    private Task? _mapping;
    private long _mappedThrough;

    private ReceiverTarget(string name, string directory, bool ownsDirectory, RunningReceiver receiver, int port, string topicPrefix)
    {
        TopicPrefix = topicPrefix;
        Name = name;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        _receiver = receiver;
        Port = port;
        _commitReader = receiver.Store.OpenReader();
        receiver.Store.NewData += OnCommit;
    }

    public string Name { get; }

    public string TopicPrefix { get; }

    public int Port { get; }

    public RunningReceiver Receiver => _receiver;

    public Func<string, (string? User, string? Password)>? Credentials => id => (id, GatewayPassword);

    /// <summary>
    /// Starts a receiver for <paramref name="gateways"/> (ids and keys as <see cref="SignedPackets"/> makes them):
    /// on an external broker at <paramref name="externalPort"/>, or with its embedded broker when that is null.
    /// <paramref name="configure"/> may add platforms and points (the relay test). With <paramref name="directory"/> the
    /// receiver reopens the database left there by an earlier one (and leaves it when disposed).
    /// </summary>
    public static async Task<ReceiverTarget> StartAsync(
        string name, int gateways, int? externalPort, Action<ReceiverOptions>? configure = null, string? directory = null)
    {
        var ownsDirectory = directory == null;
        directory ??= Directory.CreateTempSubdirectory("edgemeter-load-receiver-").FullName;
        var ids = Enumerable.Range(1, gateways).Select(SignedPackets.GatewayId).ToList();
        KeyFile.Write(Path.Combine(directory, "keys.json"), ids.Select(id => new KeyEntry(id, 1, SignedPackets.KeyOf(id))));
        var options = new ReceiverOptions
        {
            Store = { Path = Path.Combine(directory, "receiver.db") },
            Keys = { File = Path.Combine(directory, "keys.json") },
            Ingest = externalPort is { } port
                ? new IngestOptions { Mode = IngestMode.External, External = { Host = "127.0.0.1", Port = port, ClientId = "svc.receiver-load" } }
                : new IngestOptions { Mode = IngestMode.Embedded, Embedded = { Address = "127.0.0.1", Port = 0 } },
            Enterprises = [new EnterpriseOptions { Code = EnterpriseCode, Name = "Load test", Platforms = [] }],
            Gateways = [.. ids.Select(id => new GatewayOptions { Id = id, Enterprise = EnterpriseCode, Password = GatewayPassword })],
            Admin = { Urls = "http://127.0.0.1:0", AuditLog = Path.Combine(directory, "audit.log") },
            Logging = { Level = "Warning" },
        };
        configure?.Invoke(options);
        var receiver = await ReceiverApp.StartAsync(options);
        return new ReceiverTarget(name, directory, ownsDirectory, receiver, receiver.BrokerPort ?? externalPort!.Value, options.TopicPrefix);
    }

    /// <summary>The store's group commits so far and the seconds its writer spent in them.</summary>
    public (long Commits, double Seconds) WriterWork => (_receiver.Store.Commits, _receiver.Store.CommitSecondsTotal);

    public Task AttachAsync(DeliveryClock clock)
    {
        _mappedThrough = MaxPacketId(_commitReader);
        _commits.Clear();
        Volatile.Write(ref _clock, clock);
        _stopMapping = new CancellationTokenSource();
        _mapping = Task.Run(() => MapCommitsAsync(clock, _stopMapping.Token));
        return Task.CompletedTask;
    }

    public async Task DetachAsync()
    {
        Volatile.Write(ref _clock, null);
        if (_stopMapping != null)
        {
            await _stopMapping.CancelAsync();
            await _mapping!;
            _stopMapping.Dispose();
            _stopMapping = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DetachAsync();
        _receiver.Store.NewData -= OnCommit;
        _commitReader.Dispose();
        await _receiver.StopAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // On the store's writer thread, right after COMMIT: note the time and how far the ids go.
    private void OnCommit()
    {
        if (Volatile.Read(ref _clock) == null)
        {
            return;
        }

        var timestamp = Stopwatch.GetTimestamp();
        _commits.Enqueue((MaxPacketId(_commitReader), timestamp));
        _signal.Release();
    }

    private async Task MapCommitsAsync(DeliveryClock clock, CancellationToken stop)
    {
        using var reader = _receiver.Store.OpenReader();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (_commits.TryDequeue(out var commit))
            {
                if (commit.MaxId <= _mappedThrough)
                {
                    continue;
                }

                using var query = reader.CreateCommand();
                query.CommandText = $"SELECT gw, seq FROM packets WHERE id > {_mappedThrough} AND id <= {commit.MaxId} AND kind = 'up'";
                using var rows = query.ExecuteReader();
                while (rows.Read())
                {
                    clock.ArrivalAt(SignedPackets.GatewayIndexOfId(rows.GetString(0)), rows.GetInt64(1), commit.Timestamp);
                }

                _mappedThrough = commit.MaxId;
            }
        }
    }

    private static long MaxPacketId(System.Data.Common.DbConnection connection)
    {
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT coalesce(max(id), 0) FROM packets";
        return (long)query.ExecuteScalar()!;
    }
}
