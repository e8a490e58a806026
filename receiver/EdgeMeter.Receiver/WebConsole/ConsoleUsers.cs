using System.Security.Cryptography;
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
/// the passwords, never the passwords. Read again when the file's content changes, so an account added, changed or
/// removed while the receiver runs counts at once; a file that cannot be read keeps the last good accounts.
/// </summary>
public sealed class ConsoleUsers(string path)
{
    public const int MinPasswordLength = 10;
    public const int MaxNameLength = 64;

    // Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DecoyHash = PasswordHash.Create("decoy-password-never-used");

    private readonly object _reload = new();
    private volatile Snapshot _snapshot = new([], []);

    /// <summary>The account of a name and password that match; null otherwise.</summary>
    public ConsoleUser? Authenticate(string name, string password)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return null;
        }

        var user = Current().FirstOrDefault(u => u.Name == name);
        var matches = PasswordHash.Verify(password, user?.PasswordHash ?? DecoyHash);
        return user is not null && matches ? user : null;
    }

    /// <summary>Whether this account still exists as it was (same role and password) when a session was opened.</summary>
    public bool StillValid(ConsoleUser account) => Current().Contains(account);

    public IReadOnlyList<ConsoleUser> Current()
    {
        var content = File.Exists(path) ? TryReadBytes() : [];
        var digest = content is null ? _snapshot.Digest : SHA256.HashData(content);
        if (digest.AsSpan().SequenceEqual(_snapshot.Digest))
        {
            return _snapshot.Users;
        }

        lock (_reload)
        {
            try
            {
                _snapshot = new Snapshot(digest, content!.Length == 0 ? [] : Parse(content, path));
            }
            catch (Exception failure) when (failure is FormatException or JsonException or ArgumentException)
            {
                // Kept: a file caught mid-write, or edited badly by hand, is not a reason to let nobody in.
            }

            return _snapshot.Users;
        }
    }

    public static List<ConsoleUser> Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static void Write(string path, IEnumerable<ConsoleUser> users)
    {
        var root = new JsonObject
        {
            ["users"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["name"] = u.Name, ["role"] = u.Role.ToString().ToLowerInvariant(), ["passwordHash"] = u.PasswordHash })]),
        };
        FileInPlace.Replace(path, System.Text.Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
    }

    private static List<ConsoleUser> Parse(byte[] content, string path)
    {
        var root = JsonNode.Parse(content) as JsonObject ?? throw new FormatException($"{path}: not a JSON object");
        return (root["users"] as JsonArray ?? []).Select(u =>
        {
            var name = (string?)u?["name"] ?? throw new FormatException($"{path}: a user without a name");
            var role = (string?)u!["role"] ?? "viewer";
            return new ConsoleUser(
                name,
                role.Equals("operator", StringComparison.OrdinalIgnoreCase) ? ConsoleRole.Operator
                    : role.Equals("viewer", StringComparison.OrdinalIgnoreCase) ? ConsoleRole.Viewer
                    : throw new FormatException($"{path}: user {name} has role '{role}', not viewer or operator"),
                (string?)u["passwordHash"] ?? throw new FormatException($"{path}: user {name} has no passwordHash"));
        }).ToList();
    }

    private byte[]? TryReadBytes()
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Snapshot(byte[] Digest, IReadOnlyList<ConsoleUser> Users);
}

public sealed record ConsoleUser(string Name, ConsoleRole Role, string PasswordHash);
