using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `users add|list|remove --config C`: the web console's local accounts in Console.UsersFile. The password is read
/// from standard input and stored as a PBKDF2 hash; each change is in the audit log. A running receiver sees the
/// change at the next sign-in.
/// </summary>
internal static class UsersVerb
{
    public static Command Create(TextWriter output, TextReader input)
    {
        var users = new Command("users", "The web console's accounts (roles viewer and operator).");
        users.Subcommands.Add(Add(output, input));
        users.Subcommands.Add(List(output));
        users.Subcommands.Add(Remove(output));
        return users;
    }

    private static Command Add(TextWriter output, TextReader input)
    {
        var config = RunVerb.ConfigOption(required: true);
        var role = new Option<string>("--role") { Description = "viewer (looks) or operator (also sends commands and resends dead letters).", DefaultValueFactory = _ => "viewer" };
        var force = new Option<bool>("--force") { Description = "Replace the account's role and password." };
        var name = new Argument<string>("NAME") { Description = "The account's name." };
        var command = new Command("add", "Add an account; its password is read from standard input.") { config, role, force, name };
        command.SetAction(parse =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            var account = parse.GetValue(name)!;
            if (account.Length is 0 or > 64 || account.Any(char.IsWhiteSpace))
            {
                throw new CliException($"NAME '{account}' must be 1-64 characters without spaces", ExitCodes.Usage);
            }

            if (!Enum.TryParse<ConsoleRole>(parse.GetValue(role), ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen))
            {
                throw new CliException($"--role '{parse.GetValue(role)}' is not viewer or operator", ExitCodes.Usage);
            }

            var password = input.ReadLine();
            if (password is null || password.Length < ConsoleUsers.MinPasswordLength)
            {
                throw new CliException($"the password (standard input) must have at least {ConsoleUsers.MinPasswordLength} characters", ExitCodes.Usage);
            }

            var accounts = Read(options.Console.UsersFile);
            if (accounts.Any(u => u.Name == account) && !parse.GetValue(force))
            {
                throw new CliException($"account {account} exists (--force replaces its role and password)", ExitCodes.Usage);
            }

            accounts.RemoveAll(u => u.Name == account);
            accounts.Add(new ConsoleUser(account, chosen, PasswordHash.Create(password)));
            ConsoleUsers.Write(options.Console.UsersFile, accounts);
            Audit(options, "console.user.add", account, $"role {chosen.ToString().ToLowerInvariant()}");
            output.WriteLine($"account {account} ({chosen.ToString().ToLowerInvariant()}) in {options.Console.UsersFile}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var command = new Command("list", "List the accounts and their roles (never a password).") { config };
        command.SetAction(parse =>
        {
            foreach (var user in Read(ConfigLoader.Load(parse.GetValue(config)!).Console.UsersFile))
            {
                output.WriteLine($"{user.Name}\t{user.Role.ToString().ToLowerInvariant()}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var name = new Argument<string>("NAME") { Description = "The account's name." };
        var command = new Command("remove", "Remove an account (its open sessions end at their expiry).") { config, name };
        command.SetAction(parse =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            var accounts = Read(options.Console.UsersFile);
            if (accounts.RemoveAll(u => u.Name == parse.GetValue(name)) == 0)
            {
                throw new CliException($"no account {parse.GetValue(name)}", ExitCodes.Failure);
            }

            ConsoleUsers.Write(options.Console.UsersFile, accounts);
            Audit(options, "console.user.remove", parse.GetValue(name)!, null);
            output.WriteLine($"removed {parse.GetValue(name)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<ConsoleUser> Read(string path)
    {
        try
        {
            return File.Exists(path) ? ConsoleUsers.Read(path) : [];
        }
        catch (Exception failure) when (failure is FormatException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new CliException($"{path}: {failure.Message}", ExitCodes.Failure);
        }
    }

    private static void Audit(ReceiverOptions options, string action, string target, string? detail)
    {
        using var audit = new AuditLog(options.Admin.AuditLog);
        audit.Append($"cli:{Environment.UserName}", action, target, "ok", detail);
    }
}
