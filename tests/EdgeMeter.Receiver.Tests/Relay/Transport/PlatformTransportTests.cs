using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeMeter.Common.Platform;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Tests.PlatformSim;

namespace EdgeMeter.Receiver.Tests.Relay.Transport;

/// <summary>
/// The platform link over a private CA with mutual TLS and an SM4-protected password, against the simulator
/// serving HTTPS and requiring a client certificate.
/// </summary>
public sealed class PlatformTransportTests : IDisposable
{
    private const string Sm4Spec = "mode=cbc,key=0123456789abcdeffedcba9876543210,iv=000102030405060708090a0b0c0d0e0f,output=base64";
    private readonly TestPki _pki = TestPki.Create("platform");
    private readonly TestPki _stranger = TestPki.Create("stranger");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _pki.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public async Task Private_CA_client_certificate_and_SM4_password_log_in()
    {
        await using var sim = await StartSecureSimAsync();

        var versions = await CheckAsync(sim, http => http.TrustSystemStore = false);

        Assert.Equal(("1.0", "1.0"), (versions.RegVersion, versions.DicVersion));
        Assert.Equal(1, sim.Stats.TokensIssued);
    }

    [Fact]
    public async Task A_PEM_client_certificate_with_its_key_works_like_a_pfx()
    {
        await using var sim = await StartSecureSimAsync();

        var versions = await CheckAsync(sim, http =>
        {
            http.ClientCertificateFile = _pki.ClientPem;
            http.ClientKeyFile = _pki.ClientKey;
            http.ClientCertificatePassword = null;
        });

        Assert.Equal("1.0", versions.RegVersion);
    }

    [Fact]
    public async Task Without_the_platform_CA_the_server_is_not_trusted_and_the_reason_says_so()
    {
        await using var sim = await StartSecureSimAsync();

        var failure = await Assert.ThrowsAsync<PlatformCallException>(() => CheckAsync(sim, http => http.CaBundleFile = null));

        Assert.Contains("certificate", failure.Outcome.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, sim.Stats.TokensIssued);
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_refused_even_with_a_bundle()
    {
        await using var sim = await StartSecureSimAsync();

        var failure = await Assert.ThrowsAsync<PlatformCallException>(() => CheckAsync(sim, http => http.CaBundleFile = _stranger.CaFile));

        Assert.Contains("certificate", failure.Outcome.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_a_client_certificate_the_platform_refuses_the_connection(bool strangers)
    {
        await using var sim = await StartSecureSimAsync();

        var failure = await Assert.ThrowsAsync<PlatformCallException>(() => CheckAsync(sim, http =>
        {
            http.ClientCertificateFile = strangers ? _stranger.ClientPfx : null;
            http.ClientCertificatePassword = strangers ? TestPki.PfxPassword : null;
        }));

        Assert.StartsWith("network: requestAK", failure.Outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sim.Stats.TokensIssued);
    }

    [Fact]
    public async Task A_password_sent_without_the_platforms_SM4_protection_is_refused()
    {
        await using var sim = await StartSecureSimAsync();

        var failure = await Assert.ThrowsAsync<PlatformCallException>(() => CheckAsync(sim, http => http.PasswordProtection = null));

        Assert.Equal(403, failure.Outcome.Code);
        Assert.Contains("SM4", failure.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_proxy_carries_the_request_with_the_credentials_of_its_address()
    {
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var seen = ChallengeThenRefuseAsync(proxy);
        var http = new HttpPlatformOptions
        {
            BaseAddress = "http://platform.invalid/YNEnergy/",
            AllowPlainHttp = true,
            Proxy = $"http://corp%5Cuser:p%40ss@127.0.0.1:{((IPEndPoint)proxy.LocalEndpoint).Port}",
            EnterprisePasswords = { [SimHarness.Enterprise] = "pw" },
        };
        Assert.Empty(PlatformTransport.Problems(http, "Http"));
        using var client = PlatformTransport.Create(http);

        var failure = await Assert.ThrowsAsync<PlatformCallException>(() => Client(client, http).RequestTokenAsync(Ct));

        var (first, second) = await seen;
        Assert.StartsWith("POST http://platform.invalid/YNEnergy/requestAK HTTP/1.1", first, StringComparison.Ordinal);
        Assert.Contains($"Proxy-Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("corp\\user:p@ss"))}", second, StringComparison.Ordinal);
        Assert.Equal(502, failure.Outcome.Code);
        Assert.DoesNotContain("p@ss", failure.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_the_private_CA_issued_for_clients_only_is_not_taken_as_the_servers()
    {
        // Kestrel will not even serve such a certificate, so the trust decision is checked on its own.
        const System.Net.Security.SslPolicyErrors untrustedRoot = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.True(EdgeMeter.Common.Crypto.CertificateTrust.IsTrusted(_pki.Server, null, untrustedRoot, _pki.CaCollection, trustSystemStore: false));
        Assert.False(EdgeMeter.Common.Crypto.CertificateTrust.IsTrusted(_pki.Client, null, untrustedRoot, _pki.CaCollection, trustSystemStore: false));
        Assert.False(EdgeMeter.Common.Crypto.CertificateTrust.IsTrusted(_pki.Server, null, untrustedRoot, _stranger.CaCollection, trustSystemStore: false));
        Assert.False(EdgeMeter.Common.Crypto.CertificateTrust.IsTrusted(_pki.Server, null, untrustedRoot | System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, _pki.CaCollection, trustSystemStore: false));
    }

    [Fact]
    public void A_password_that_is_not_text_of_the_configured_input_encoding_is_named()
    {
        var problems = PlatformTransport.Problems(
            new HttpPlatformOptions
            {
                BaseAddress = "https://platform.example/",
                EnterprisePasswords = { [SimHarness.Enterprise] = "not-hex" },
                PasswordProtection = Sm4PasswordOptions.Parse("key=0123456789abcdeffedcba9876543210,input=hex"),
            },
            "Http");

        Assert.Contains($"Http.EnterprisePasswords: the password of {SimHarness.Enterprise} is not Hex text, as PasswordProtection.Input says it is", problems);
    }

    [Theory]
    [InlineData("http://platform.example/api/", false, "is plain http to a host that is not loopback")]
    [InlineData("http://platform.example/api/", true, null)]
    [InlineData("http://127.0.0.1:5080/", false, null)]
    [InlineData("https://platform.example/api/", false, null)]
    public void Plain_http_beyond_loopback_needs_explicit_permission(string address, bool allow, string? expected)
    {
        var problems = PlatformTransport.Problems(new HttpPlatformOptions { BaseAddress = address, AllowPlainHttp = allow }, "Platforms[0].Http");

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.StartsWith("Platforms[0].Http.BaseAddress: ", StringComparison.Ordinal) && p.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Unusable_trust_settings_are_named()
    {
        var problems = PlatformTransport.Problems(
            new HttpPlatformOptions
            {
                BaseAddress = "https://platform.example/",
                CaBundleFile = Path.Combine(_pki.Directory, "missing.pem"),
                ClientCertificateFile = _pki.ClientPem,
                Proxy = "socks://nowhere",
                ConnectTimeoutSeconds = 0,
                PasswordProtection = new Sm4PasswordOptions { Key = "short" },
            },
            "Http");

        Assert.Contains(problems, p => p.StartsWith("Http.CaBundleFile: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Http.ClientCertificateFile: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Http.Proxy: 'socks://nowhere'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Http.ConnectTimeoutSeconds: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Http.PasswordProtection.Key: ", StringComparison.Ordinal));
        Assert.Contains("Http.TrustSystemStore: false needs a CaBundleFile, or no server could be trusted",
            PlatformTransport.Problems(new HttpPlatformOptions { BaseAddress = "https://p.example/", TrustSystemStore = false }, "Http"));
    }

    private async Task<RunningPlatformSim> StartSecureSimAsync()
    {
        var options = new PlatformSimOptions
        {
            ServerCertificate = _pki.Server,
            ClientCertificateAuthorities = _pki.CaCollection,
            PasswordProtection = Sm4PasswordOptions.Parse(Sm4Spec),
        };
        return await PlatformSimulator.StartAsync(options, ["https://127.0.0.1:0"], Ct);
    }

    private async Task<PlatformVersions> CheckAsync(RunningPlatformSim sim, Action<HttpPlatformOptions> change)
    {
        var http = new HttpPlatformOptions
        {
            BaseAddress = sim.BaseAddress.ToString(),
            EnterprisePasswords = { [SimHarness.Enterprise] = PlatformSimOptions.DefaultPassword },
            CaBundleFile = _pki.CaFile,
            ClientCertificateFile = _pki.ClientPfx,
            ClientCertificatePassword = TestPki.PfxPassword,
            PasswordProtection = Sm4PasswordOptions.Parse(Sm4Spec),
            CallTimeoutSeconds = 5,
        };
        change(http);
        Assert.Empty(PlatformTransport.Problems(http, "Http"));
        using var client = PlatformTransport.Create(http);
        return await Client(client, http).CheckVersionAsync(Ct);
    }

    private static PlatformUploadClient Client(HttpClient client, HttpPlatformOptions http) =>
        new(client, HttpTier.ClientOptions(new PlatformOptions { Name = "provincial", Http = http }, SimHarness.Enterprise));

    // 407 with a Basic challenge, then 502 to the second attempt (which must carry the credentials).
    private static async Task<(string First, string Second)> ChallengeThenRefuseAsync(TcpListener listener)
    {
        var first = await AnswerAsync(listener, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var second = await AnswerAsync(listener, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return (first, second);
    }

    private static async Task<string> AnswerAsync(TcpListener listener, string answer)
    {
        using var socket = await listener.AcceptTcpClientAsync(Ct);
        var stream = socket.GetStream();
        var buffer = new byte[8192];
        var read = 0;
        while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            read += await stream.ReadAsync(buffer.AsMemory(read), Ct);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), Ct);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
