using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Tests.Receiver.Cli;

/// <summary>`users add|list|remove`: the console's accounts, hashed, audited, refused when wrong.</summary>
public sealed class UsersCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-users-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Add_list_and_remove_keep_only_hashes_and_are_audited()
    {
        var config = Config();
        var added = await RunAsync("correct-horse-battery\n", "users", "add", "--config", config, "--role", "operator", "energy-manager");
        var listed = await RunAsync("", "users", "list", "--config", config);

        Assert.True(added.Exit == ExitCodes.Ok, added.Error);
        Assert.Equal("energy-manager\toperator\n", listed.Output);
        var file = File.ReadAllText(Path.Combine(_directory, "users.json"));
        Assert.DoesNotContain("correct-horse-battery", file, StringComparison.Ordinal);
        var user = Assert.Single(ConsoleUsers.Read(Path.Combine(_directory, "users.json")));
        Assert.True(PasswordHash.Verify("correct-horse-battery", user.PasswordHash));
        Assert.Equal(ConsoleRole.Operator, new ConsoleUsers(Path.Combine(_directory, "users.json")).Authenticate("energy-manager", "correct-horse-battery")?.Role);
        Assert.Null(new ConsoleUsers(Path.Combine(_directory, "users.json")).Authenticate("energy-manager", "wrong"));

        Assert.Equal(ExitCodes.Ok, (await RunAsync("", "users", "remove", "--config", config, "energy-manager")).Exit);
        Assert.Empty(ConsoleUsers.Read(Path.Combine(_directory, "users.json")));
        var audit = File.ReadAllText(Path.Combine(_directory, "data", "audit.log")); // the example's Admin.AuditLog
        Assert.Contains("\"action\":\"console.user.add\",\"target\":\"energy-manager\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"console.user.remove\",\"target\":\"energy-manager\"", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short\n", "--role", "viewer", "at least 10 characters")]
    [InlineData("long-enough-password\n", "--role", "admin", "--role 'admin' is not viewer or operator")]
    public async Task A_weak_password_or_an_unknown_role_is_refused(string input, string option, string value, string message)
    {
        var refused = await RunAsync(input, "users", "add", "--config", Config(), option, value, "someone");

        Assert.Equal(ExitCodes.Usage, refused.Exit);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "users.json")));
    }

    [Fact]
    public async Task An_existing_account_is_replaced_only_with_force()
    {
        var config = Config();
        Assert.Equal(ExitCodes.Ok, (await RunAsync("first-password-1\n", "users", "add", "--config", config, "viewer-1")).Exit);

        var again = await RunAsync("second-password-2\n", "users", "add", "--config", config, "viewer-1");
        var forced = await RunAsync("second-password-2\n", "users", "add", "--config", config, "--force", "viewer-1");

        Assert.Equal(ExitCodes.Usage, again.Exit);
        Assert.Contains("account viewer-1 exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, forced.Exit);
        Assert.Equal(ConsoleRole.Viewer, new ConsoleUsers(Path.Combine(_directory, "users.json")).Authenticate("viewer-1", "second-password-2")?.Role);
    }

    private string Config()
    {
        var path = Path.Combine(_directory, "receiver.json");
        File.Copy(Repo.PathOf("examples/receiver/receiver.json"), path, overwrite: true);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, new StringReader(input));
        return (exit, output.ToString(), error.ToString());
    }
}
