using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Cli;

namespace EdgeMeter.Receiver.Tests.Receiver.Cli;

/// <summary>`migrate`: the configured database's schema brought up to date without starting a receiver, on both databases.</summary>
public sealed class MigrateCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-migrate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_new_postgresql_database_is_migrated_once_and_then_has_nothing_to_do()
    {
        var database = PostgresServer.Shared.CreateDatabase();
        var config = Config(new JsonObject { ["Database"] = "Postgres", ["ConnectionString"] = database });

        var first = await RunAsync("migrate", "--config", config);
        var second = await RunAsync("migrate", "--config", config);

        Assert.True(first.Exit == ExitCodes.Ok, first.Error);
        Assert.Equal("Postgres schema migrated from version 0 to 1\n", first.Output);
        Assert.Equal("Postgres schema is at version 1; nothing to do\n", second.Output);
        using var db = new Npgsql.NpgsqlConnection(database);
        db.Open();
        using var tables = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('packets', 'readings', 'schema_migrations')", db);
        Assert.Equal(3L, tables.ExecuteScalar());
    }

    [Fact]
    public async Task A_new_sqlite_file_is_created_at_the_current_version()
    {
        var config = Config(new JsonObject { ["Path"] = Path.Combine(_directory, "receiver.db") });

        var first = await RunAsync("migrate", "--config", config);
        var second = await RunAsync("migrate", "--config", config);

        Assert.True(first.Exit == ExitCodes.Ok, first.Error);
        Assert.Equal("Sqlite schema migrated from version 0 to 4\n", first.Output);
        Assert.Equal("Sqlite schema is at version 4; nothing to do\n", second.Output);
    }

    [Theory]
    [InlineData("{\"Database\":\"Postgres\"}", "Store.ConnectionString: is required with Database Postgres")]
    [InlineData("{\"Database\":\"Postgres\",\"ConnectionString\":\"Host=127.0.0.1;Port=1;Database=x;Username=x;Timeout=2\"}", "cannot migrate the PostgreSQL database")]
    public async Task A_missing_or_unreachable_database_is_one_clear_error(string store, string message)
    {
        var refused = await RunAsync("migrate", "--config", Config(JsonNode.Parse(store)!.AsObject()));

        Assert.NotEqual(ExitCodes.Ok, refused.Exit);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
    }

    private string Config(JsonObject store)
    {
        var config = JsonNode.Parse(File.ReadAllText(Repo.PathOf("examples/receiver/receiver.json")))!.AsObject();
        config["Store"] = store;
        var path = Path.Combine(_directory, "receiver.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, new StringReader(""));
        return (exit, output.ToString(), error.ToString());
    }
}
