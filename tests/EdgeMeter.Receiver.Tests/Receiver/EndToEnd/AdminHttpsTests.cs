using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using EdgeMeter.Receiver.Tests.Relay.Transport;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>The admin API (and /platform/push) over HTTPS with a certificate of the enterprise's own CA.</summary>
public sealed class AdminHttpsTests : IAsyncLifetime
{
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestPki _pki = TestPki.Create("admin");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task The_admin_API_is_served_over_https_and_the_CLI_trusts_it_with_the_CA_file()
    {
        var pfx = Path.Combine(_pki.Directory, "admin.pfx");
        await File.WriteAllBytesAsync(pfx, _pki.Server.Export(X509ContentType.Pfx, TestPki.PfxPassword), Ct);
        _harness.Options.Admin.Urls = "https://127.0.0.1:0";
        _harness.Options.Admin.CertificateFile = pfx;
        _harness.Options.Admin.CertificatePassword = TestPki.PfxPassword;
        var receiver = await _harness.StartAsync();
        var tokenFile = Path.Combine(_harness.Directory, "token");
        await File.WriteAllTextAsync(tokenFile, ReceiverHarness.AdminToken, Ct);

        Assert.Equal("https", receiver.AdminAddress.Scheme);
        var trusted = await CliAsync("dead-letters", "list", "--url", receiver.AdminAddress.ToString(), "--token-file", tokenFile, "--ca-file", _pki.CaFile);
        var untrusted = await CliAsync("dead-letters", "list", "--url", receiver.AdminAddress.ToString(), "--token-file", tokenFile);

        Assert.Equal(ExitCodes.Ok, trusted.Exit);
        Assert.Contains("0 dead letters", trusted.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, untrusted.Exit);
        Assert.Contains("cannot reach the receiver", untrusted.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_addresses_without_a_certificate_are_refused_naming_the_setting()
    {
        _harness.Options.Admin.Urls = "https://127.0.0.1:0";

        var problems = EdgeMeter.Receiver.Config.OptionsValidator.Validate(_harness.Options);

        Assert.Contains("Admin.CertificateFile: is required for the https:// addresses in Admin.Urls", problems);
    }

    private static async Task<(int Exit, string Output, string Error)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, TextReader.Null);
        return (exit, output.ToString(), error.ToString());
    }
}
