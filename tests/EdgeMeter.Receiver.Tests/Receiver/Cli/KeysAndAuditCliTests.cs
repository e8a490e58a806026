using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;

namespace EdgeMeter.Receiver.Tests.Receiver.Cli;

public sealed class KeysAndAuditCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-cli-").FullName;

    private string KeyPath => Path.Combine(_directory, "keys.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Add_rotate_list_remove_keep_the_file_private_and_show_each_key_once()
    {
        var added = await RunAsync("keys", "add", "--file", KeyPath, "--gateway", "gw-0007");
        var rotated = await RunAsync("keys", "rotate", "--file", KeyPath, "--gateway", "gw-0007");
        var listed = await RunAsync("keys", "list", "--file", KeyPath);

        Assert.Equal(ExitCodes.Ok, added.Exit);
        Assert.Equal(ExitCodes.Ok, rotated.Exit);
        var entries = KeyFile.Read(KeyPath);
        Assert.Equal([1, 2], entries.Select(e => e.KeyVersion));
        Assert.All(entries, e => Assert.Equal(32, e.Key.Length));
        Assert.Contains(Convert.ToHexStringLower(entries[0].Key), added.Output, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(entries[1].Key), rotated.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(entries[0].Key), listed.Output, StringComparison.Ordinal);
        Assert.Contains($"gw-0007\t2\t{entries[1].Fingerprint}", listed.Output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }

        var removed = await RunAsync("keys", "remove", "--file", KeyPath, "--gateway", "gw-0007", "--version", "1");
        Assert.Equal(ExitCodes.Ok, removed.Exit);
        Assert.Equal([2], KeyFile.Read(KeyPath).Select(e => e.KeyVersion));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Changing_keys_keeps_the_files_mode_so_the_service_group_can_still_read_it()
    {
        Assert.Equal(ExitCodes.Ok, (await RunAsync("keys", "add", "--file", KeyPath, "--gateway", "gw-0007")).Exit);
        const UnixFileMode groupReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(KeyPath, groupReadable);
        var before = File.ReadAllText(KeyPath);

        Assert.Equal(ExitCodes.Ok, (await RunAsync("keys", "rotate", "--file", KeyPath, "--gateway", "gw-0007")).Exit);

        Assert.Equal(groupReadable, File.GetUnixFileMode(KeyPath));
        Assert.Equal(before, File.ReadAllText(KeyPath + ".bak"));
        Assert.Equal([1, 2], KeyFile.Read(KeyPath).Select(e => e.KeyVersion));
    }

    [Fact]
    public async Task Adding_to_a_gateway_that_has_keys_is_refused()
    {
        await RunAsync("keys", "add", "--file", KeyPath, "--gateway", "gw-0007");

        var again = await RunAsync("keys", "add", "--file", KeyPath, "--gateway", "gw-0007");
        var badId = await RunAsync("keys", "add", "--file", KeyPath, "--gateway", "gw.7");

        Assert.Equal(ExitCodes.Failure, again.Exit);
        Assert.Contains("use keys rotate", again.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badId.Exit);
        Assert.Single(KeyFile.Read(KeyPath));
    }

    [Fact]
    public async Task Hash_password_output_verifies_the_password_only()
    {
        var hashed = await RunAsync(new StringReader("s3cret\n"), "hash-password", "--iterations", "1000");

        var encoded = hashed.Output.Trim();
        Assert.True(PasswordHash.Verify("s3cret", encoded));
        Assert.False(PasswordHash.Verify("s3cret ", encoded));
    }

    [Fact]
    public async Task Audit_verify_finds_an_edited_line()
    {
        var path = Path.Combine(_directory, "audit.log");
        using (var audit = new AuditLog(path))
        {
            audit.Append("operator", "command.queue", "gw-0001", "ok", "command 1");
            audit.Append("operator", "command.queue", "gw-0001", "ok", "command 2");
            audit.Append("cli:root", "keys.rotate", "gw-0001.3", "ok");
        }

        using (var reopened = new AuditLog(path))
        {
            reopened.Append("operator", "quarantine.retry", "9", "stored");
        }

        Assert.Equal(ExitCodes.Ok, (await RunAsync("audit", "verify", "--file", path)).Exit);

        var lines = File.ReadAllLines(path);
        lines[1] = lines[1].Replace("command 2", "command 3", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        var edited = await RunAsync("audit", "verify", "--file", path);
        Assert.Equal(ExitCodes.Failure, edited.Exit);
        Assert.Contains("line 2", edited.Error, StringComparison.Ordinal);

        File.WriteAllLines(path, lines.Where((_, i) => i != 1));
        Assert.Contains("line 2: does not follow", (await RunAsync("audit", "verify", "--file", path)).Error, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(TextReader.Null, args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(TextReader input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, input);
        return (exit, output.ToString(), error.ToString());
    }
}
