using System.Data.Common;
using EdgeMeter.Receiver.Verify;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The store for receivers in a group: a PostgreSQL database that several receivers write at once, each with one
/// group-commit writer connection, and readers from Npgsql's pool. A COMMIT returns once PostgreSQL made it durable
/// (fsync and synchronous_commit on, checked at start). The receivers' writer transactions take turns
/// (<see cref="WriterLock"/>); a packet or reading another receiver stored already meets its unique key and is not
/// stored again.
/// </summary>
internal sealed class PostgresDatabase : StoreDatabase
{
    /// <summary>
    /// Taken by every writer transaction before its first statement: the receivers' transactions commit one after the
    /// other, so ids grow in commit order as with SQLite's one writer. "Rows after id X" then stays exactly what a tier
    /// or the indicators have not read, the command counter and the gateways' replay state are read and written by one
    /// transaction at a time, and two receivers never wait on each other's rows in a circle. A second receiver buys
    /// availability, not a second writer's throughput (docs/receiver.md, "Receivers in a group").
    /// </summary>
    private const long WriterLock = 0x45_64_67_65_4D_33; // "EdgeM3"

    private readonly NpgsqlDataSource _source;
    private readonly string _connectionString;
    private readonly ILogger _log;
    private NpgsqlConnection _writer;

    private PostgresDatabase(NpgsqlDataSource source, string connectionString, NpgsqlConnection writer, string description, ILogger log)
    {
        _source = source;
        _connectionString = connectionString;
        _log = log;
        _writer = writer;
        Description = description;
    }

    public override string Description { get; }

    public override DbConnection Writer => _writer;

    public override string BeginWrite => $"BEGIN; SELECT pg_advisory_xact_lock({WriterLock})";

    public override bool SharedWithOtherWriters => true;

    /// <summary>Connects, refuses a server that would acknowledge commits before they are durable, and migrates the schema.</summary>
    public static PostgresDatabase Open(string connectionString, ILogger log)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The statements every packet runs are prepared on the server after their second use.
            MaxAutoPrepare = Math.Max(new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare, 32),
            AutoPrepareMinUsages = 2,
        };
        var description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        var source = NpgsqlDataSource.Create(builder);
        NpgsqlConnection? writer = null;
        try
        {
            writer = source.OpenConnection();
            RequireDurableCommits(writer, description);
            var (from, to) = PostgresSchema.Migrate(writer, Environment.MachineName);
            if (from != to)
            {
                log.LogInformation("store {Database}: schema migrated from version {From} to {To}", description, from, to);
            }

            return new PostgresDatabase(source, builder.ConnectionString, writer, description, log);
        }
        catch
        {
            writer?.Dispose();
            source.Dispose();
            throw;
        }
    }

    public override DbConnection OpenReader() => _source.OpenConnection();

    public override IIngestStatements CreateIngestStatements() => new PostgresIngestStatements(() => _writer);

    public override WorkLease CreateLease(ILogger log) => new AdvisoryLease(_connectionString, Description, log);

    /// <summary>
    /// PostgreSQL answers COMMIT of a transaction that had failed with ROLLBACK, not an error; the writer must hear it
    /// as a failure, or it would acknowledge packets that were never stored. In such a transaction every other
    /// statement fails, so a SELECT sent ahead of the COMMIT, in the same round trip, makes it one.
    /// </summary>
    public override void Commit(DbConnection writer)
    {
        using var commit = new NpgsqlBatch((NpgsqlConnection)writer) { BatchCommands = { new("SELECT 1"), new("COMMIT") } };
        commit.ExecuteNonQuery();
    }

    public override void EnsureWriterOpen()
    {
        if (_writer.FullState == System.Data.ConnectionState.Open)
        {
            return;
        }

        _log.LogWarning("store {Database}: the writer's connection broke; connecting again", Description);
        _writer.Dispose();
        _writer = _source.OpenConnection();
    }

    public override void Dispose()
    {
        _writer.Dispose();
        _source.Dispose();
    }

    // PUBACK after commit means nothing if the server answers COMMIT before the WAL is flushed.
    private static void RequireDurableCommits(NpgsqlConnection db, string description)
    {
        foreach (var setting in new[] { "fsync", "synchronous_commit" })
        {
            if (db.Scalar($"SHOW {setting}") as string == "off")
            {
                throw new InvalidOperationException($"database {description}: {setting} is off; the receiver acknowledges a packet only once it is durable, so it needs {setting} on");
            }
        }
    }
}

/// <summary>
/// The hot path on PostgreSQL: typed parameters, statements prepared once on the writer connection, and a packet with
/// its readings in one statement however many (arrays unnested): one round trip to the server per packet.
/// </summary>
internal sealed class PostgresIngestStatements(Func<NpgsqlConnection> writer) : IIngestStatements
{
    private NpgsqlConnection? _preparedOn;
    private NpgsqlCommand? _insertPacket;
    private NpgsqlCommand? _upsertGateway;

    public (long? PacketId, int FreshReadings) InsertPacket(IngestedPacket packet, string kind, string receivedAt, string? client)
    {
        ForgetIfReconnected();

        // One round trip: the packet's row, and only when it is new, its readings from arrays (unnest).
        var insert = _insertPacket ??= Prepare(
            """
            WITH p AS (
                INSERT INTO packets(gw, seq, kind, packet, received_at, client, fresh_readings) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT(gw, seq) DO NOTHING RETURNING id),
            r AS (
                INSERT INTO readings(gw, n, packet_id, meter, point, t, val, unit, flags)
                SELECT $1, x.n, p.id, x.meter, x.point, x.t, x.val, x.unit, x.flags
                FROM p, unnest($8, $9, $10, $11, $12, $13, $14) AS x(n, meter, point, t, val, unit, flags)
                ON CONFLICT(gw, n) DO NOTHING RETURNING 1)
            SELECT (SELECT id FROM p), (SELECT COUNT(*) FROM r)
            """,
            NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bigint,
            NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text,
            NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text,
            NpgsqlDbType.Array | NpgsqlDbType.Bigint);
        var readings = packet.Readings;
        Set(
            insert, packet.GatewayId, packet.Sequence, kind, packet.Packet, receivedAt, client, (long)readings.Count,
            readings.Select(r => r.N).ToArray(), readings.Select(r => r.Meter).ToArray(), readings.Select(r => r.Point).ToArray(),
            readings.Select(r => r.Time).ToArray(), readings.Select(r => r.Value).ToArray(), readings.Select(r => r.Unit).ToArray(),
            readings.Select(r => (long)r.Flags).ToArray());
        using var row = insert.ExecuteReader();
        row.Read();
        return row.IsDBNull(0) ? (null, 0) : (row.GetInt64(0), (int)row.GetInt64(1));
    }

    public void UpsertGateway(string gw, GatewayRow row, string seenAt)
    {
        ForgetIfReconnected();
        var upsert = _upsertGateway ??= Prepare(
            """
            INSERT INTO gateways(gw, high_water, will_seq, state, state_seq, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $6)
            ON CONFLICT(gw) DO UPDATE SET high_water = $2, will_seq = $3, state = $4, state_seq = $5, last_seen = $6
            """,
            NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Text);
        Set(upsert, gw, row.HighWater, row.WillSequence, row.State, row.StateSequence, seenAt);
        upsert.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insertPacket?.Dispose();
        _upsertGateway?.Dispose();
        (_insertPacket, _upsertGateway) = (null, null);
    }

    private void ForgetIfReconnected()
    {
        if (!ReferenceEquals(_preparedOn, writer()))
        {
            Dispose();
            _preparedOn = writer();
        }
    }

    // Statements are prepared on one connection: a new writer connection (after a database restart) prepares them again.
    private NpgsqlCommand Prepare(string sql, params NpgsqlDbType[] types)
    {
        var command = new NpgsqlCommand(sql, writer());
        foreach (var type in types)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        }

        command.Prepare();
        return command;
    }

    private static void Set(NpgsqlCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
