using System.Security.Cryptography;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Tests.Receiver.Config;

/// <summary>A platform account's push key: every unusable setting is named before anything starts.</summary>
public sealed class PushConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-push-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("HS256", "not base64!", null, "PlatformAccounts[0].Push.Secret: Secret is not base64")]
    [InlineData("HS256", "c2hvcnQ=", null, "PlatformAccounts[0].Push.Secret: Secret is 5 bytes; HS256 needs at least 32")]
    [InlineData("ES256", null, null, "PlatformAccounts[0].Push.PublicKeyFile: ES256 needs PublicKeyFile")]
    [InlineData("ES256", null, "p384", "PlatformAccounts[0].Push.PublicKeyFile: PublicKeyFile ")]
    [InlineData("RS256", null, null, "PlatformAccounts[0].Push.Algorithm: Algorithm 'RS256' is not ES256 or HS256")]
    [InlineData("none", null, null, "PlatformAccounts[0].Push.Algorithm: Algorithm 'none' is not ES256 or HS256")]
    public void An_unusable_push_key_is_named(string algorithm, string? secret, string? keyKind, string expected)
    {
        string? keyFile = null;
        if (keyKind is not null)
        {
            keyFile = Path.Combine(_directory, "platform.pub.pem");
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(keyFile, key.ExportSubjectPublicKeyInfoPem());
        }

        var problems = OptionsValidator.Validate(Options(new PlatformPushOptions { Platform = "provincial", Algorithm = algorithm, Secret = secret, PublicKeyFile = keyFile }));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        if (keyKind is not null)
        {
            Assert.Contains(problems, p => p.EndsWith("not a P-256 key, which ES256 needs", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_push_account_must_speak_for_a_configured_platform()
    {
        var problems = OptionsValidator.Validate(Options(new PlatformPushOptions { Platform = "elsewhere", Algorithm = "HS256", Secret = Convert.ToBase64String(new byte[32]) }));

        Assert.Contains(problems, p => p.StartsWith("PlatformAccounts[0].Push.Platform: 'elsewhere' is not a configured platform", StringComparison.Ordinal));
    }

    private static ReceiverOptions Options(PlatformPushOptions push) => new()
    {
        PlatformAccounts = [new PlatformAccountOptions { Username = "svc.platform-yn", Password = "platform-password", Push = push }],
        Platforms = [new PlatformOptions { Name = "provincial", Http = new HttpPlatformOptions { BaseAddress = "https://platform.example/" } }],
    };
}
