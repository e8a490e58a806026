using System.Net;
using System.Text;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Tests.Relay.Http;

/// <summary>How the client reads answers real platforms might give, via a scripted HTTP handler.</summary>
public class OutcomeClassificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly PlatformRecord Record = new()
    {
        DataCode = "000000000112000001",
        DataValue = new FixedDecimal(12345, 2),
        ConvertRation = new FixedDecimal(1229, 3),
        StatDate = new DateTime(2020, 5, 20, 10, 15, 0),
    };

    [Theory]
    [InlineData(200, """{"responseCode":200,"responseMessage":"ok"}""", UploadOutcomeKind.Delivered, 200)]
    [InlineData(200, """{"responseCode":"200","responseMessage":"ok"}""", UploadOutcomeKind.Delivered, 200)]
    [InlineData(200, """{"responseCode":400,"responseMessage":"dataCode: bad"}""", UploadOutcomeKind.Rejected, 400)]
    [InlineData(200, """{"responseCode":"422","responseMessage":"conflict"}""", UploadOutcomeKind.Rejected, 422)]
    [InlineData(200, """{"responseCode":500,"responseMessage":"busy"}""", UploadOutcomeKind.Retry, 500)]
    [InlineData(200, """{"responseCode":10001,"responseMessage":"?"}""", UploadOutcomeKind.Retry, 10001)]
    [InlineData(200, """<html>proxy login</html>""", UploadOutcomeKind.Retry, 200)]
    [InlineData(200, "", UploadOutcomeKind.Retry, 200)]
    [InlineData(200, """{"responseMessage":"ok"}""", UploadOutcomeKind.Retry, 200)]
    [InlineData(400, """{"responseCode":400,"responseMessage":"statDate: bad"}""", UploadOutcomeKind.Rejected, 400)]
    [InlineData(400, "plain text", UploadOutcomeKind.Rejected, 400)]
    [InlineData(403, "", UploadOutcomeKind.Retry, 403)]
    [InlineData(404, "not found", UploadOutcomeKind.Retry, 404)]
    [InlineData(408, "", UploadOutcomeKind.Retry, 408)]
    [InlineData(429, "", UploadOutcomeKind.Retry, 429)]
    [InlineData(500, """{"responseCode":200}""", UploadOutcomeKind.Retry, 500)]
    [InlineData(502, "<html>bad gateway</html>", UploadOutcomeKind.Retry, 502)]
    [InlineData(302, "", UploadOutcomeKind.Retry, 302)]
    public async Task Answers_are_classified(int status, string body, UploadOutcomeKind expected, int expectedCode)
    {
        var platform = new ScriptedPlatform((_, _) => (status, body));
        using var http = new HttpClient(platform);

        var outcome = await ClientFor(http).UploadAsync(Record, Ct);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(expectedCode, outcome.Code);
    }

    [Fact]
    public async Task A_duplicate_flag_in_the_receipt_is_reported()
    {
        var platform = new ScriptedPlatform((_, _) => (200, """{"responseCode":200,"responseMessage":"dup","data":{"duplicate":true}}"""));
        using var http = new HttpClient(platform);

        var outcome = await ClientFor(http).UploadAsync(Record, Ct);

        Assert.Equal(UploadOutcome.Delivered("dup", duplicate: true), outcome);
    }

    [Fact]
    public async Task A_401_that_persists_after_renewal_is_a_retry_after_exactly_one_renewal()
    {
        var platform = new ScriptedPlatform((_, _) => (401, """{"responseCode":401,"responseMessage":"token: expired"}"""));
        using var http = new HttpClient(platform);

        var outcome = await ClientFor(http).UploadAsync(Record, Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.Equal(401, outcome.Code);
        Assert.Equal(2, platform.Calls("requestAK"));
        Assert.Equal(2, platform.Calls("dataEnterpriseEnergy"));
    }

    [Fact]
    public async Task A_409_that_persists_after_checkVersion_is_a_retry_after_exactly_one_refresh()
    {
        var platform = new ScriptedPlatform((_, _) => (409, """{"responseCode":409,"responseMessage":"regVersion: old"}"""));
        using var http = new HttpClient(platform);

        var outcome = await ClientFor(http).UploadAsync(Record, Ct);

        Assert.Equal(UploadOutcomeKind.Retry, outcome.Kind);
        Assert.Equal(2, platform.Calls("checkVersion"));
        Assert.Equal(1, platform.Calls("requestAK"));
    }

    [Fact]
    public async Task The_request_carries_token_key_and_the_published_body()
    {
        var platform = new ScriptedPlatform((_, _) => (200, """{"responseCode":200,"responseMessage":"ok"}"""));
        using var http = new HttpClient(platform);
        var time = new ManualTime(new DateTimeOffset(2020, 5, 20, 2, 16, 2, TimeSpan.Zero));

        await ClientFor(http, time).UploadAsync(Record with { IdempotencyKey = "gw-1:5:0" }, Ct);

        var upload = platform.Requests.Single(r => r.Path == "/p/dataEnterpriseEnergy");
        Assert.Equal("Bearer tok-1", upload.Authorization);
        Assert.Equal("gw-1:5:0", upload.IdempotencyKey);
        Assert.Equal(
            """{"enterpriseCode":"91530100MA6NXKB7X1","regVersion":"R1","dicVersion":"D1","dataCode":"000000000112000001","dataValue":"123.45","convertRation":"1.229","valid":"1","scope":"1","inputType":"4","statType":"0","statDate":"2020-05-20 10:15:00","uploadDate":"2020-05-20 10:16:02"}""",
            upload.Body);
        var login = platform.Requests.First(r => r.Path == "/p/requestAK");
        Assert.Equal("""{"enterpriseCode":"91530100MA6NXKB7X1","password":"pw"}""", login.Body);
        Assert.Null(login.Authorization);
    }

    [Fact]
    public async Task The_password_goes_through_the_protector()
    {
        var platform = new ScriptedPlatform((_, _) => (200, """{"responseCode":200,"responseMessage":"ok"}"""));
        using var http = new HttpClient(platform);
        var client = new PlatformUploadClient(http, new PlatformClientOptions
        {
            Name = "provincial",
            BaseAddress = new Uri("http://platform.test/p"),
            EnterpriseCode = "91530100MA6NXKB7X1",
            Password = "pw",
            PasswordProtector = new ReversingProtector(),
        });

        await client.RequestTokenAsync(Ct);

        Assert.Contains("\"password\":\"wp:91530100MA6NXKB7X1\"", platform.Requests.Single().Body, StringComparison.Ordinal);
    }

    private static PlatformUploadClient ClientFor(HttpClient http, TimeProvider? time = null) =>
        new(http, new PlatformClientOptions
        {
            Name = "provincial",
            BaseAddress = new Uri("http://platform.test/p"),
            EnterpriseCode = "91530100MA6NXKB7X1",
            Password = "pw",
        }, time);

    private sealed class ReversingProtector : IPasswordProtector
    {
        public string Protect(string password, string enterpriseCode) => $"{new string(password.Reverse().ToArray())}:{enterpriseCode}";
    }

    /// <summary>A platform that logs in (token tok-N) and reports versions R1/D1, and answers uploads as scripted.</summary>
    private sealed class ScriptedPlatform(Func<string, string, (int Status, string Body)> upload) : HttpMessageHandler
    {
        private int tokens;

        public List<SeenRequest> Requests { get; } = [];

        public int Calls(string endpoint) => Requests.Count(r => r.Path.EndsWith("/" + endpoint, StringComparison.Ordinal));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            Requests.Add(new SeenRequest(
                path,
                request.Headers.Authorization?.ToString(),
                request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
                body));
            var (status, answer) = path switch
            {
                "/p/requestAK" => (200, $$$"""{"responseCode":200,"responseMessage":"ok","data":{"token":"tok-{{{++tokens}}}","akExpiresIn":"2999-01-01 00:00:00 000"}}"""),
                "/p/checkVersion" => (200, """{"responseCode":200,"responseMessage":"ok","data":{"regVersion":"R1","dicVersion":"D1"}}"""),
                _ => upload(path, body),
            };
            return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }

    private sealed record SeenRequest(string Path, string? Authorization, string? IdempotencyKey, string Body);
}
