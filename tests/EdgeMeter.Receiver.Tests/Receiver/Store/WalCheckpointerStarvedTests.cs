using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Tests.Receiver.Store;

/// <summary>
/// The WAL stays bounded when the checkpoint thread gets no CPU (a busy machine): the writer sees the WAL file outgrow
/// the bound and checkpoints itself. Before, a late count from the thread let the WAL reach 68-69 MB in CI.
/// </summary>
[Trait(TestStores.Trait, "Sqlite")]
public sealed class WalCheckpointerStarvedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-wal-").FullName;

    [Fact]
    public void A_thread_that_never_runs_does_not_let_the_wal_grow_past_its_bound()
    {
        var path = Path.Combine(_directory, "store.db");
        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        Run(writer, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA wal_autocheckpoint=0", $"PRAGMA journal_size_limit={WalCheckpointer.RestartBytes}",
            "CREATE TABLE filler(id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
        using var checkpointer = new WalCheckpointer($"Data Source={path};Pooling=False", NullLogger.Instance, Timeout.InfiniteTimeSpan);

        var chunk = new byte[256 * 1024];
        var wal = new FileInfo(path + "-wal");
        long largestWal = 0;
        const int writes = 200; // 50 MB, three times the bound
        for (var i = 0; i < writes; i++)
        {
            using (var insert = writer.CreateCommand())
            {
                insert.CommandText = "INSERT INTO filler(data) VALUES (@d)";
                insert.Parameters.AddWithValue("@d", chunk);
                insert.ExecuteNonQuery();
            }

            checkpointer.FinishAfterCommit(writer);
            wal.Refresh();
            largestWal = Math.Max(largestWal, wal.Length);
        }

        Assert.Equal(0, checkpointer.Checkpoints.Background);
        Assert.True(checkpointer.Checkpoints.Finishing >= 2, $"{checkpointer.Checkpoints}");
        Assert.True(largestWal <= WalCheckpointer.RestartBytes + (1 << 20), $"the WAL grew to {largestWal / 1_000_000.0:F1} MB for {writes * chunk.Length / 1_000_000} MB written");
        using var count = writer.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM filler";
        Assert.Equal(writes, Convert.ToInt32(count.ExecuteScalar()));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Run(SqliteConnection db, params string[] statements)
    {
        foreach (var statement in statements)
        {
            using var command = db.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }
}
