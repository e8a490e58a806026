using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using EdgeMeter.Receiver.Verify;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>The writer's own state beside the database: the gateway ledger and the raw statements of the hot path.</summary>
[Trait(TestStores.Trait, "Sqlite")]
public sealed class WriterStateTests : IDisposable
{
    private readonly SqliteConnection _db = new("Data Source=:memory:");

    public WriterStateTests()
    {
        _db.Open();
        _db.Execute("CREATE TABLE gateways(gw TEXT PRIMARY KEY, high_water INTEGER NOT NULL, will_seq INTEGER, state TEXT, state_seq INTEGER, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, pruned_seq INTEGER NOT NULL DEFAULT 0)");
        _db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE)");
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void The_ledger_writes_a_gateway_once_per_flush_with_its_latest_state()
    {
        var ledger = new GatewayLedger();
        using var statements = new SqliteIngestStatements(_db);
        Assert.Null(ledger.Find(_db, "gw-1"));

        ledger.Record("gw-1", new GatewayRow(5, null, null, null), "2026-11-26T10:00:00.000Z");
        ledger.Record("gw-1", new GatewayRow(9, 8, "online", 7), "2026-11-26T10:00:01.000Z");
        Assert.Equal(0L, _db.ScalarLong("SELECT COUNT(*) FROM gateways"));
        ledger.Flush(statements);

        Assert.Equal("9 8 online 7 2026-11-26T10:00:01.000Z", Row("gw-1"));
        Assert.Equal(new GatewayRow(9, 8, "online", 7), ledger.Find(_db, "gw-1"));
    }

    [Fact]
    public void After_a_rollback_the_ledger_reads_the_database_again()
    {
        var ledger = new GatewayLedger();
        using var statements = new SqliteIngestStatements(_db);
        ledger.Record("gw-1", new GatewayRow(3, null, null, null), "2026-11-26T10:00:00.000Z");
        ledger.Flush(statements);

        ledger.Record("gw-1", new GatewayRow(40, null, null, null), "2026-11-26T10:00:01.000Z");
        ledger.Discard();
        ledger.Flush(statements);

        Assert.Equal(new GatewayRow(3, null, null, null), ledger.Find(_db, "gw-1"));
        Assert.Equal("3    2026-11-26T10:00:00.000Z", Row("gw-1"));
    }

    [Fact]
    public void A_raw_statement_returns_the_new_id_or_nothing_on_a_conflict_and_runs_again()
    {
        using var insert = new RawStatement(_db, "INSERT INTO t(k) VALUES (?1) ON CONFLICT(k) DO NOTHING RETURNING id");

        Assert.Equal(1L, insert.Bind(1, "a").ExecuteInt64());
        Assert.Null(insert.Bind(1, "a").ExecuteInt64());
        Assert.Equal(2L, insert.Bind(1, "b").ExecuteInt64());
        Assert.Equal(2L, _db.ScalarLong("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void A_raw_statement_that_fails_throws_the_sqlite_error_and_stays_usable()
    {
        using var insert = new RawStatement(_db, "INSERT INTO t(k) VALUES (?1)");
        insert.Bind(1, "a").Execute();

        var failure = Assert.Throws<SqliteException>(() => insert.Bind(1, "a").Execute());
        Assert.Contains("UNIQUE constraint failed: t.k", failure.Message);
        Assert.Equal(1, insert.Bind(1, "c").Execute());
        Assert.Throws<SqliteException>(() => new RawStatement(_db, "INSERT INTO missing VALUES (1)"));
    }

    private string Row(string gw) => string.Join(' ', _db.Query(
        "SELECT high_water, will_seq, state, state_seq, last_seen FROM gateways WHERE gw = @gw",
        r => Enumerable.Range(0, 5).Select(i => r.IsDBNull(i) ? "" : r.GetValue(i).ToString()).ToArray(),
        ("@gw", gw)).Single());
}

/// <summary>A packet's readings go in with one statement per <see cref="ReadingInsert.RowsPerStatement"/> rows.</summary>
[Trait(TestStores.Trait, "Sqlite")]
public sealed class ReadingInsertTests : IDisposable
{
    private readonly SqliteConnection _db = new("Data Source=:memory:");

    public ReadingInsertTests()
    {
        _db.Open();
        SqliteSchema.Create(_db);
    }

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void Every_reading_is_stored_once_with_its_fields_and_re_sends_are_counted(int count)
    {
        using var insert = new ReadingInsert();
        var first = Packet(count, firstN: 100);
        Assert.Equal(count, insert.Insert(_db, first, packetId: 1));

        // Shifted by half: the first half is new, the rest re-sent.
        var shift = count / 2;
        var again = Packet(count, firstN: 100 + shift);
        Assert.Equal(shift, insert.Insert(_db, again, packetId: 2));

        var rows = _db.Query("SELECT n, packet_id, meter, point, t, val, unit, flags FROM readings ORDER BY n", r => string.Join('|', Enumerable.Range(0, 8).Select(i => r.GetValue(i))));
        var expected = Enumerable.Range(100, count + shift)
            .Select(n => $"{n}|{(n < 100 + count ? 1 : 2)}|m{n % 3}|p{n % 5}|2026-11-26T10:{n % 60:00}:00Z|{n}.5|kWh|{n % 2}");
        Assert.Equal(expected, rows);
    }

    private static IngestedPacket Packet(int count, long firstN)
    {
        var readings = Enumerable.Range(0, count).Select(i =>
        {
            var n = firstN + i;
            return new ReadingRow(n, $"m{n % 3}", $"p{n % 5}", new DateTime(2026, 11, 26, 10, (int)(n % 60), 0, DateTimeKind.Utc), $"{n}.5", "kWh", (EdgeMeter.Core.Messages.ReadingFlags)(n % 2));
        }).ToArray();
        return new IngestedPacket(EdgeMeter.Core.Packet.PacketKind.Up, "gw-0001", firstN, 1, DateTime.UnixEpoch, "{}", readings, null, null);
    }
}
