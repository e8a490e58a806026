using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>What a console account may do: viewers look; operators also send commands and resend dead letters.</summary>
public enum ConsoleRole
{
    Viewer,
    Operator,
}

/// <summary>
/// The console's local accounts (Console.UsersFile, `edgemeter-receiver users`): names, roles and PBKDF2 hashes of
/// the passwords, never the passwords. Read again when the file changes, so an account added while the receiver
/// runs can sign in at once.
/// </summary>
public sealed class ConsoleUsers(string path)
{
    public const int MinPasswordLength = 10;

    // Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DecoyHash = PasswordHash.Create("decoy-password-never-used");

    private (DateTime, long) _stamp;
    private IReadOnlyList<ConsoleUser> _users = [];

    /// <summary>The role of a name and password that match an account; null otherwise.</summary>
    public ConsoleRole? Authenticate(string name, string password)
    {
        var user = Current().FirstOrDefault(u => u.Name == name);
        var matches = PasswordHash.Verify(password, user?.PasswordHash ?? DecoyHash);
        return user is not null && matches ? user.Role : null;
    }

    public IReadOnlyList<ConsoleUser> Current()
    {
        var info = new FileInfo(path);
        var stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
        if (stamp != _stamp)
        {
            _users = info.Exists ? Read(path) : [];
            _stamp = stamp;
        }

        return _users;
    }

    public static List<ConsoleUser> Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException($"{path}: not a JSON object");
        return (root["users"] as JsonArray ?? []).Select(u => new ConsoleUser(
            (string?)u?["name"] ?? throw new FormatException($"{path}: a user without a name"),
            Enum.Parse<ConsoleRole>((string?)u!["role"] ?? "viewer", ignoreCase: true),
            (string?)u["passwordHash"] ?? throw new FormatException($"{path}: user {(string?)u["name"]} has no passwordHash"))).ToList();
    }

    public static void Write(string path, IEnumerable<ConsoleUser> users)
    {
        var root = new JsonObject
        {
            ["users"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["name"] = u.Name, ["role"] = u.Role.ToString().ToLowerInvariant(), ["passwordHash"] = u.PasswordHash })]),
        };
        FileInPlace.Replace(path, System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
    }
}

public sealed record ConsoleUser(string Name, ConsoleRole Role, string PasswordHash);
