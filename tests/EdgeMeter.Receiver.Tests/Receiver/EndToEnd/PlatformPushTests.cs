using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Pushes;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>
/// A platform pushes to the enterprise without reaching into its network: a signed message on its own MQTT topic
/// (or POSTed over HTTPS), verified with its key, kept, listed, and forwarded to the gateways its platform serves.
/// </summary>
public sealed class PlatformPushTests : IAsyncLifetime
{
    private const string Mute = "svc.platform-mute";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly ECDsa _platformKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private IMqttClient? _client;
    private int _connections;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Topic => PlatformPushTopic.Topic("edgemeter/v1", ReceiverHarness.PlatformUser);

    public async ValueTask InitializeAsync()
    {
        var publicKey = Path.Combine(_harness.Directory, "province.pub.pem");
        await File.WriteAllTextAsync(publicKey, _platformKey.ExportSubjectPublicKeyInfoPem(), Ct);
        var provincial = await ReceiverHarness.StartSimAsync("provincial");
        _harness.AddHttpPlatform("provincial", provincial, batch: false);
        _harness.AddHttpPlatform("national", provincial, batch: false);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial");
        _harness.Route(ReceiverHarness.Enterprise2, "national");
        _harness.Options.PlatformAccounts[0].Push = new PlatformPushOptions { Platform = "provincial", Algorithm = "ES256", PublicKeyFile = publicKey };
        _harness.Options.PlatformAccounts.Add(new PlatformAccountOptions { Username = Mute, Password = "mute-password" });
        await _harness.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _harness.DisposeAsync();
        _platformKey.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public async Task A_message_signed_by_PyJWT_reaches_the_gateways_of_the_platform_and_is_listed()
    {
        var python = PyJwt();
        var privateKey = Path.Combine(_harness.Directory, "province.key.pem");
        await File.WriteAllTextAsync(privateKey, _platformKey.ExportPkcs8PrivateKeyPem(), Ct);
        var jws = Sign(python, privateKey, $$"""{"iss": "svc.platform-test", "aud": ["{{ReceiverHarness.Enterprise1}}", "91110000802100433B"], "jti": "yn-2026-0042", "text": "请于12月10日前完成表计校验 / calibrate meters by 10 Dec"}""");

        var ack = await PublishAsync(ReceiverHarness.PlatformUser, "platform-password", Topic, jws);

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        var message = Assert.Single(Messages().EnumerateArray());
        Assert.Equal(("svc.platform-test", "provincial", "yn-2026-0042", "mqtt"), (Text(message, "account"), Text(message, "platform"), Text(message, "messageId"), Text(message, "via")));
        Assert.Equal("请于12月10日前完成表计校验 / calibrate meters by 10 Dec", Text(message, "text"));
        Assert.Equal(["gw-0001"], message.GetProperty("gateways").EnumerateArray().Select(g => g.GetString()));
        var command = Assert.Single(Commands("gw-0001").EnumerateArray());
        Assert.Equal(("platform-message", "platform:svc.platform-test"), (Text(command, "name"), Text(command, "requestedBy")));
        Assert.Contains("calibrate meters", command.GetProperty("args").ToString(), StringComparison.Ordinal);
        Assert.Empty(Commands("gw-0002").EnumerateArray());
    }

    [Fact]
    public async Task Forged_foreign_stale_and_misaddressed_pushes_are_refused_and_a_replay_is_absorbed()
    {
        var good = DotNetSign(_platformKey, "m-1", "check meter 12");
        var forged = DotNetSign(_otherKey, "m-2", "forged");
        var otherIssuer = DotNetSign(_platformKey, "m-3", "as someone else", issuer: Mute);
        var foreignGateway = DotNetSign(_platformKey, "m-4", "to another platform's gateway", extra: new() { ["gateways"] = new[] { "gw-0002" } });
        var stale = DotNetSign(_platformKey, "m-5", "old", issuedAt: DateTime.UtcNow.AddHours(-25));
        var otherReceiver = DotNetSign(_platformKey, "m-6", "for an enterprise served elsewhere", audience: "91110000802100433B");
        var noAudience = DotNetSign(_platformKey, "m-7", "for anyone", audience: null);

        Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(ReceiverHarness.PlatformUser, "platform-password", Topic, good)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(ReceiverHarness.PlatformUser, "platform-password", Topic, good)).ReasonCode);
        foreach (var refused in new[] { forged, otherIssuer, foreignGateway, stale, otherReceiver, noAudience })
        {
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await PublishAsync(ReceiverHarness.PlatformUser, "platform-password", Topic, refused)).ReasonCode);
        }

        // No push key: may not publish at all. A gateway may not publish on a push topic either.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await PublishAsync(Mute, "mute-password", PlatformPushTopic.Topic("edgemeter/v1", Mute), good)).ReasonCode);
        Assert.NotEqual(MqttClientPublishReasonCode.Success, (await PublishAsync("gw-0001", ReceiverHarness.Gateway1Password, Topic, good, clientId: "gw-0001")).ReasonCode);

        Assert.Equal(["m-1"], Messages().EnumerateArray().Select(m => Text(m, "messageId")));
        Assert.Single(Commands("gw-0001").EnumerateArray());
        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, Ct);
        Assert.Equal(6, audit.Split('\n').Count(line => line.Contains("\"action\":\"platform.push\"", StringComparison.Ordinal) && line.Contains("\"outcome\":\"refused\"", StringComparison.Ordinal)));
        Assert.Contains("gateways: gw-0002 is not a gateway of the enterprises in aud served by platform provincial", audit, StringComparison.Ordinal);
        Assert.Contains("aud: names no enterprise this receiver serves for platform provincial", audit, StringComparison.Ordinal);
        Assert.Contains("aud: the enterprise code(s) the message is for are required", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_may_POST_the_same_signed_message_instead()
    {
        using var http = new HttpClient { BaseAddress = _harness.Receiver!.AdminAddress };

        using var accepted = await http.PostAsync("platform/push", new StringContent(DotNetSign(_platformKey, "h-1", "via https", extra: new() { ["gateways"] = new[] { "gw-0001" } })), Ct);
        using var unsigned = await http.PostAsync("platform/push", new StringContent(Unsigned("h-2")), Ct);

        Assert.True(accepted.StatusCode == HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        var message = Assert.Single(Messages().EnumerateArray());
        Assert.Equal(("h-1", "https"), (Text(message, "messageId"), Text(message, "via")));
        Assert.Single(Commands("gw-0001").EnumerateArray());
    }

    [Fact]
    public async Task A_message_stored_but_not_forwarded_when_the_receiver_stopped_is_forwarded_at_the_next_start()
    {
        await _harness.StopAsync();
        _harness.Execute("""
            INSERT INTO platform_messages(account, platform, message_id, issued_at, received_at, via, text, gateways, forwarded, jws)
            VALUES ('svc.platform-test', 'provincial', 'cut-short', '2026-12-05T08:00:00.000Z', '2026-12-05T08:00:01.000Z', 'mqtt', 'left behind', '["gw-0001"]', '{}', 'x')
            """);

        await _harness.StartAsync();

        var command = Assert.Single(Commands("gw-0001").EnumerateArray());
        Assert.Contains("left behind", command.GetProperty("args").ToString(), StringComparison.Ordinal);
        Assert.StartsWith("command ", Assert.Single(Messages().EnumerateArray()).GetProperty("forwarded").GetProperty("gw-0001").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("表")]
    [InlineData("m")]
    public async Task A_message_of_the_longest_text_reaches_the_gateway_in_one_command(string character)
    {
        // 200 characters, the most "text" holds: 600 bytes of UTF-8 for Chinese, well within a down packet.
        var text = string.Concat(Enumerable.Repeat(character, 200));

        var ack = await PublishAsync(ReceiverHarness.PlatformUser, "platform-password", Topic, DotNetSign(_platformKey, $"long-{character}", text));

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        var forwarded = Assert.Single(Messages().EnumerateArray()).GetProperty("forwarded").GetProperty("gw-0001").GetString();
        Assert.StartsWith("command ", forwarded, StringComparison.Ordinal);
        var command = Assert.Single(Commands("gw-0001").EnumerateArray());
        Assert.Equal(text, command.GetProperty("args").GetProperty("text").GetString());
    }

    // A fresh connection with a client id of its own each time, after the last one disconnected cleanly.
    private async Task<MqttClientPublishResult> PublishAsync(string username, string password, string topic, string payload, string? clientId = null)
    {
        if (_client is { IsConnected: true })
        {
            await _client.DisconnectAsync(cancellationToken: Ct);
        }

        _client?.Dispose();
        _client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _harness.BrokerPort).WithClientId(clientId ?? $"{username}-{++_connections}")
            .WithCredentials(username, password).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build();
        await _client.ConnectAsync(options, Ct);
        return await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
    }

    private static string DotNetSign(
        ECDsa key, string id, string text, string issuer = ReceiverHarness.PlatformUser, DateTime? issuedAt = null, Dictionary<string, object>? extra = null,
        string? audience = ReceiverHarness.Enterprise1)
    {
        var claims = new Dictionary<string, object>(extra ?? []) { ["jti"] = id, ["text"] = text };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt ?? DateTime.UtcNow,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static string Unsigned(string id)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(json);
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"iss":"{{ReceiverHarness.PlatformUser}}","aud":"{{ReceiverHarness.Enterprise1}}","jti":"{{id}}","iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"text":"no signature"}""")}.";
    }

    private JsonElement Messages() => Get("admin/platform-messages");

    private JsonElement Commands(string gateway) => Get($"admin/gateways/{gateway}/commands");

    private JsonElement Get(string path)
    {
        using var admin = _harness.Admin();
        return JsonDocument.Parse(admin.GetStringAsync(path, Ct).GetAwaiter().GetResult()).RootElement.Clone();
    }

    private static string? Text(JsonElement item, string name) => item.GetProperty(name).GetString();

    // PyJWT (Debian python3-jwt) is the independent signer: what a platform would use.
    private static string PyJwt()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Python(candidate, "-c", "import jwt, cryptography").ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }

        const string missing = "python3 with PyJWT and cryptography (Debian python3-jwt, python3-cryptography) is not installed; run bash .ci/install-peers";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(missing);
        }

        Assert.Skip(missing);
        return "";
    }

    private static string Sign(string python, string privateKey, string claimsJson)
    {
        const string script = "import sys, json, time, jwt; c = json.loads(sys.argv[2]); c['iat'] = int(time.time()); print(jwt.encode(c, open(sys.argv[1]).read(), algorithm='ES256'))";
        var (exit, output, error) = Python(python, "-c", script, privateKey, claimsJson);
        Assert.True(exit == 0, error);
        return output.Trim();
    }

    private static (int ExitCode, string Output, string Error) Python(string python, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
