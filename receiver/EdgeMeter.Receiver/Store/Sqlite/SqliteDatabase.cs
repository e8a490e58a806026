using System.Data.Common;
using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The embedded store for one enterprise: a SQLite file in WAL mode with synchronous=FULL, one writer connection and
/// pooled reader connections (WAL: readers never wait for the writer). This receiver is the file's only writer.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private readonly SqliteConnection _writer;
    private readonly string _readerConnectionString;
    private readonly WalCheckpointer? _checkpointer;

    private SqliteDatabase(string path, SqliteConnection writer, ILogger log, bool checkpointInCommit)
    {
        Path = path;
        _writer = writer;
        _readerConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();
        if (!checkpointInCommit)
        {
            _checkpointer = new WalCheckpointer(_readerConnectionString, log);
        }
    }

    /// <summary>
    /// WAL pages between checkpoints when they run inside commits (SQLite's default is 1,000). Packets of many
    /// gateways dirty a leaf page per gateway in each per-gateway index, and a checkpoint writes each dirty page once
    /// however often it changed since the last: with 200 gateways a 40 MB WAL stored 16,000 packets/s against 11,700
    /// with 4 MB. By default checkpoints run beside the commits instead (<see cref="WalCheckpointer"/>).
    /// </summary>
    public const int WalCheckpointPages = 10_000;

    public string Path { get; }

    public override string Description => Path;

    public override DbConnection Writer => _writer;

    public override string BeginWrite => "BEGIN IMMEDIATE";

    public override bool SharedWithOtherWriters => false;

    public override (long Background, long Finishing) Checkpoints => _checkpointer?.Checkpoints ?? (0, 0);

    public override long LargestWalFrames => _checkpointer?.LargestWalFrames ?? 0;

    /// <summary>
    /// Opens (creating if needed) the database file. Throws <see cref="SqliteException"/> or InvalidOperationException.
    /// <paramref name="checkpointInCommit"/>: SQLite's automatic checkpoint inside commits, as before issue 20 (for comparison).
    /// </summary>
    public static SqliteDatabase Open(string path, ILogger log, bool checkpointInCommit)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var mode = connection.Scalar("PRAGMA journal_mode=WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"database {path}: cannot switch to WAL (journal_mode is {mode})");
            }

            connection.Execute("PRAGMA synchronous=FULL");
            connection.Execute($"PRAGMA wal_autocheckpoint={(checkpointInCommit ? WalCheckpointPages : 0)}");
            // A restart cuts the WAL file back to the bound, so that its length tells the writer when it is over (WalCheckpointer).
            connection.Execute($"PRAGMA journal_size_limit={(checkpointInCommit ? 64L << 20 : WalCheckpointer.RestartBytes)}");
            connection.Execute("PRAGMA busy_timeout=5000");
            SqliteSchema.Create(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new SqliteDatabase(path, connection, log, checkpointInCommit);
    }

    public override DbConnection OpenReader()
    {
        var connection = new SqliteConnection(_readerConnectionString);
        connection.Open();
        return connection;
    }

    public override WorkLease CreateLease(ILogger log) => new SoleReceiverLease();

    public override IIngestStatements CreateIngestStatements() => new SqliteIngestStatements(_writer);

    public override void AfterCommit(DbConnection writer) => _checkpointer?.FinishAfterCommit((SqliteConnection)writer);

    public override void Dispose()
    {
        _checkpointer?.Dispose();
        _writer.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_readerConnectionString));
    }
}

/// <summary>The hot path on SQLite: statements prepared once and run through <see cref="RawStatement"/>.</summary>
internal sealed class SqliteIngestStatements(SqliteConnection db) : IIngestStatements
{
    private RawStatement? _insertPacket;
    private RawStatement? _upsertGateway;
    private readonly ReadingInsert _insertReadings = new();

    public (long? PacketId, int FreshReadings) InsertPacket(IngestedPacket packet, string kind, string receivedAt, string? client)
    {
        var id = (_insertPacket ??= new RawStatement(db, InsertPacketSql))
            .Bind(1, packet.GatewayId).Bind(2, packet.Sequence).Bind(3, kind).Bind(4, packet.Packet).Bind(5, receivedAt).Bind(6, client).Bind(7, packet.Readings.Count)
            .ExecuteInt64();
        return id is { } packetId ? (packetId, _insertReadings.Insert(db, packet, packetId)) : (null, 0);
    }

    public void UpsertGateway(string gw, GatewayRow row, string seenAt) =>
        (_upsertGateway ??= new RawStatement(db, UpsertGatewaySql))
            .Bind(1, gw).Bind(2, row.HighWater).Bind(3, row.WillSequence).Bind(4, row.State).Bind(5, row.StateSequence).Bind(6, seenAt).Execute();

    public void Dispose()
    {
        _insertPacket?.Dispose();
        _upsertGateway?.Dispose();
        _insertReadings.Dispose();
    }

    private const string InsertPacketSql = "INSERT INTO packets(gw, seq, kind, packet, received_at, client, fresh_readings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(gw, seq) DO NOTHING RETURNING id";

    // This receiver is the only writer: its ledger's row is the truth.
    private const string UpsertGatewaySql = """
        INSERT INTO gateways(gw, high_water, will_seq, state, state_seq, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
        ON CONFLICT(gw) DO UPDATE SET high_water = ?2, will_seq = ?3, state = ?4, state_seq = ?5, last_seen = ?6
        """;
}
