using EdgeMeter.TestSupport;
using Npgsql;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>
/// The private PostgreSQL cluster the PostgreSQL store's tests run against (issue 21): it starts from nothing, commits
/// durably (the store acknowledges a packet only after its commit) and stops without leaving a trace.
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
