using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `migrate --config C`: brings the configured database's schema up to date and says which version it is at, without
/// starting the receiver. A receiver does the same on start; this is for a database prepared before a roll-out.
/// </summary>
internal static class MigrateVerb
{
    public static Command Create(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var command = new Command("migrate", "Create or update the database schema (SQLite or PostgreSQL) and report its version.") { config };
        command.SetAction(parse =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            if (OptionsValidator.Validate(options).Where(problem => problem.StartsWith("Store.", StringComparison.Ordinal)).ToList() is { Count: > 0 } problems)
            {
                throw new CliException(string.Join("; ", problems), ExitCodes.Usage);
            }

            try
            {
                var (from, to) = StoreMigration.Apply(options.Store);
                output.WriteLine(from == to
                    ? $"{options.Store.Database} schema is at version {to}; nothing to do"
                    : $"{options.Store.Database} schema migrated from version {from} to {to}");
                return ExitCodes.Ok;
            }
            catch (Exception failure) when (failure is System.Data.Common.DbException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot migrate {Describe(options.Store)}: {failure.Message}", ExitCodes.Failure);
            }
        });
        return command;
    }

    private static string Describe(StoreOptions store) => store.Database == StoreKind.Postgres ? "the PostgreSQL database" : store.Path;
}
