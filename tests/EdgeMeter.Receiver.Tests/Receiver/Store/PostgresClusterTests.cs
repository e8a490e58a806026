using EdgeMeter.TestSupport;
using Npgsql;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>
/// The private PostgreSQL cluster the PostgreSQL store's tests run against (issue 21): it starts from nothing, commits
/// durably (the store acknowledges a packet only after its commit) and stops without leaving a trace. And what that
/// store will rely on from PostgreSQL itself, pinned here so an upgrade that changes it fails a test.
/// </summary>
public sealed class PostgresClusterTests
{
    [Fact]
    public async Task A_private_cluster_starts_commits_durably_and_is_gone_after_it_stops()
    {
        string folder;
        using (var server = PostgresServer.Start())
        {
            await using var db = new NpgsqlConnection(server.ConnectionString);
            await db.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal("on", await Scalar(db, "SHOW fsync"));
            Assert.Equal("on", await Scalar(db, "SHOW synchronous_commit"));

            await Execute(db, "CREATE TABLE readings(gw text NOT NULL, n bigint NOT NULL, val text NOT NULL, PRIMARY KEY(gw, n))");
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await Execute(db, "INSERT INTO readings VALUES ('gw-1', 7, '12.5'), ('gw-1', 8, '12.6') ON CONFLICT (gw, n) DO NOTHING");
            }

            Assert.Equal("2", await Scalar(db, "SELECT count(*) FROM readings"));
            folder = server.Folder;
        }

        Assert.False(Directory.Exists(folder), $"{folder} is still there");
    }

    // Two receivers insert concurrently, so ids are not in commit order: a relay that moved past id 2 would never send
    // id 1 if it committed later. Rows are relayable once every transaction older than theirs has ended: below the
    // snapshot's xmin, ordered by (transaction, id).
    [Fact]
    public async Task A_row_is_held_back_while_an_older_transaction_is_open_then_both_follow_in_transaction_order()
    {
        using var server = PostgresServer.Start();
        var token = TestContext.Current.CancellationToken;
        await using var first = new NpgsqlConnection(server.ConnectionString);
        await using var second = new NpgsqlConnection(server.ConnectionString);
        await using var relay = new NpgsqlConnection(server.ConnectionString);
        await Task.WhenAll(first.OpenAsync(token), second.OpenAsync(token), relay.OpenAsync(token));
        await Execute(relay, "CREATE TABLE packets(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, gw text NOT NULL, xid xid8 NOT NULL DEFAULT pg_current_xact_id())");
        const string relayable = "SELECT coalesce(string_agg(gw || ':' || id, ',' ORDER BY xid, id), '') FROM packets WHERE xid < pg_snapshot_xmin(pg_current_snapshot())";

        await using var older = await first.BeginTransactionAsync(token);
        await Execute(first, "INSERT INTO packets(gw) VALUES ('a')"); // id 1, the older transaction
        await using (var newer = await second.BeginTransactionAsync(token))
        {
            await Execute(second, "INSERT INTO packets(gw) VALUES ('b')"); // id 2
            await newer.CommitAsync(token);
        }

        Assert.Equal("", await Scalar(relay, relayable));
        await older.CommitAsync(token);
        Assert.Equal("a:1,b:2", await Scalar(relay, relayable));
    }

    private static async Task<string> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task Execute(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
