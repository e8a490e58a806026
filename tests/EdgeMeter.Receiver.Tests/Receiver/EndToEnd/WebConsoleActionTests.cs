using System.Net;
using EdgeMeter.Common.Crypto;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using EdgeMeter.Receiver.WebConsole;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>An operator resends a platform's refused records and sends commands from the console; a viewer may not; all audited.</summary>
public sealed class WebConsoleActionTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private RunningPlatformSim? _sim;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_operator_resends_a_tiers_dead_letters_and_a_viewer_is_refused()
    {
        _sim = await ReceiverHarness.StartSimAsync("provincial");
        _harness.AddHttpPlatform("provincial", _sim, batch: true);
        _harness.Route(ReceiverHarness.Enterprise1, "provincial");
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile,
            [new ConsoleUser("op", ConsoleRole.Operator, PasswordHash.Create(Password, 1000)), new ConsoleUser("viewer", ConsoleRole.Viewer, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        Execute("INSERT INTO dead_letters(tier, gw, row_id, code, reason, created_at) VALUES ('provincial', 'e', 7, 422, 'dataCode not registered', '2026-01-01T00:00:00.000Z')");

        using var viewer = await SignInAsync("viewer");
        var viewerPage = await viewer.GetStringAsync("/console/platforms", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("resend-provincial", viewerPage, StringComparison.Ordinal);
        var refused = await viewer.PostAsync("/console/dead-letters/resend", Form(ConsoleBrowserlessClient.CsrfOf(viewerPage), "provincial"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var operatorClient = await SignInAsync("op");
        var page = await operatorClient.GetStringAsync("/console/platforms", TestContext.Current.CancellationToken);
        Assert.Contains("422 dataCode not registered", page, StringComparison.Ordinal);
        var forged = await operatorClient.PostAsync("/console/dead-letters/resend", Form("not-the-token", "provincial"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var resent = await operatorClient.PostAsync("/console/dead-letters/resend", Form(ConsoleBrowserlessClient.CsrfOf(page), "provincial"), TestContext.Current.CancellationToken);

        Assert.Contains("1 records marked to be sent again.", await resent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["console:op"], _harness.Strings("SELECT resolved_by FROM dead_letters")); // the tier then tries it again
        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, TestContext.Current.CancellationToken);
        Assert.Contains("\"actor\":\"console:viewer\",\"action\":\"dead-letters.retry\",\"target\":\"provincial\",\"outcome\":\"refused\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"console:op\",\"action\":\"dead-letters.retry\",\"target\":\"tier provincial\",\"outcome\":\"ok\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_account_loses_its_session_and_bad_requests_get_400_not_500()
    {
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile, [new ConsoleUser("op", ConsoleRole.Operator, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        using var http = await SignInAsync("op");
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console/energy?day=0001-01-01", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console/quality?month=9999-12", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/console/export?from=0001-01-01&to=9999-12-31", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/console/export?from=2026-01-01&to=2026-01-02&gateway=a%0D%0Ab", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/console/logout", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct)).StatusCode);

        ConsoleUsers.Write(_harness.Options.Console.UsersFile, []);
        var after = await http.GetAsync("/console/fleet", ct);
        Assert.EndsWith("/console/login", after.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_sends_a_command_from_a_gateways_page_that_shows_each_meters_errors_and_a_viewer_is_refused()
    {
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile,
            [new ConsoleUser("op", ConsoleRole.Operator, PasswordHash.Create(Password, 1000)), new ConsoleUser("viewer", ConsoleRole.Viewer, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        await using var gateway = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        await gateway.PublishAsync(Core.Packet.PacketKind.Status, gateway.SignStatus(1, Core.Messages.GatewayState.Online, 2, true,
            new Core.Messages.MeterHealth { Id = "000012345678", Online = true, Requests = 96, Timeouts = 0 },
            new Core.Messages.MeterHealth { Id = "modbus:3", Online = false, Requests = 96, Timeouts = 96 }));
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM packets WHERE kind = 'status'") == 1, "the status stored");
        var ct = TestContext.Current.CancellationToken;

        using var viewer = await SignInAsync("viewer");
        var viewerPage = await viewer.GetStringAsync("/console/gateway?gw=gw-0001", ct);
        Assert.DoesNotContain("send-command", viewerPage, StringComparison.Ordinal);
        Assert.Matches("<td>modbus:3</td><td>offline</td><td>96</td><td><span class=\"bad\">96</span></td>", viewerPage);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/console/commands", CommandForm(ConsoleBrowserlessClient.CsrfOf(viewerPage), "read-now"), ct)).StatusCode);

        using var operatorClient = await SignInAsync("op");
        var page = await operatorClient.GetStringAsync("/console/gateway?gw=gw-0001", ct);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.PostAsync("/console/commands", CommandForm(ConsoleBrowserlessClient.CsrfOf(page), "set-config"), ct)).StatusCode);
        var sent = await operatorClient.PostAsync("/console/commands", CommandForm(ConsoleBrowserlessClient.CsrfOf(page), "read-now"), ct);

        Assert.Contains("queued; the gateway answers", await sent.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(["read-now console:op"], _harness.Strings("SELECT name || ' ' || requested_by FROM commands"));
        var unknown = await operatorClient.GetAsync("/console/gateway?gw=gw-9999", ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No gateway &#39;gw-9999&#39; has sent anything", await unknown.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, ct);
        Assert.Contains("\"actor\":\"console:viewer\",\"action\":\"command.queue\",\"target\":\"gw-0001\",\"outcome\":\"refused\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"console:op\",\"action\":\"command.queue\",\"target\":\"gw-0001\",\"outcome\":\"ok\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_platforms_page_shows_how_long_the_oldest_record_has_waited_for_an_unreachable_tier()
    {
        _harness.AddMqttPlatform("provincial-mqtt", FreePort.Next()); // nothing listens there
        _harness.Route(ReceiverHarness.Enterprise1, "provincial-mqtt");
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile, [new ConsoleUser("viewer", ConsoleRole.Viewer, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        var tier = Assert.Single(_harness.Receiver!.Tiers);
        Assert.Null(tier.OldestWaitingUtc());
        await using var gateway = new TestGateway(TestKeys.Gateway1, TestKeys.Gateway1V1);
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, (await gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        var before = DateTime.UtcNow.AddSeconds(-1);
        await gateway.PublishAsync(Core.Packet.PacketKind.Up, gateway.SignReadings(1, TestGateway.Reading(1, "1.5")));
        await Eventually.Until(() => tier.Lag() == 1, "the packet waiting for the tier");

        var waiting = tier.OldestWaitingUtc();
        using var viewer = await SignInAsync("viewer");
        var page = await viewer.GetStringAsync("/console/platforms", TestContext.Current.CancellationToken);

        Assert.InRange(waiting!.Value, before, DateTime.UtcNow);
        Assert.Matches("<td>provincial-mqtt</td><td>1</td><td>1</td><td>[0-9]+ s</td><td></td><td>[0-9]+</td>", page); // never delivered; retries counted
    }

    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_waits_with_429_and_one_audit_line()
    {
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile, [new ConsoleUser("op", ConsoleRole.Operator, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _harness.Receiver!.AdminAddress };
        async Task<HttpResponseMessage> TryAsync(string password)
        {
            var login = await http.GetStringAsync("/console/login", ct);
            return await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf"] = ConsoleBrowserlessClient.CsrfOf(login), ["user"] = "op", ["password"] = password,
            }), ct);
        }

        for (var i = 0; i < SignInThrottle.MaxFailuresPerUser; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync("guess-number-" + i)).StatusCode);
        }

        var held = await TryAsync(Password);
        var again = await TryAsync(Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.True(held.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14), $"{held.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, ct);
        Assert.Equal(1, audit.Split('\n').Count(line => line.Contains("\"outcome\":\"throttled\"", StringComparison.Ordinal)));
        Assert.Equal(SignInThrottle.MaxFailuresPerUser, audit.Split('\n').Count(line => line.Contains("\"outcome\":\"denied\"", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cookies_are_secure_over_plain_http_only_when_a_tls_proxy_is_declared(bool secureCookies)
    {
        _harness.Options.Console.SecureCookies = secureCookies;
        await _harness.StartAsync();
        using var http = new HttpClient { BaseAddress = _harness.Receiver!.AdminAddress };

        var login = await http.GetAsync("/console/login", TestContext.Current.CancellationToken);

        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("em_login_csrf=", StringComparison.Ordinal));
        Assert.Equal(secureCookies, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private static FormUrlEncodedContent CommandForm(string csrf, string name) =>
        new(new Dictionary<string, string> { ["csrf"] = csrf, ["gateway"] = "gw-0001", ["name"] = name });

    private Task<HttpClient> SignInAsync(string user) => ConsoleBrowserlessClient.SignInAsync(_harness.Receiver!.AdminAddress, user, Password);

    private static FormUrlEncodedContent Form(string csrf, string tier) => new(new Dictionary<string, string> { ["csrf"] = csrf, ["tier"] = tier });

    private void Execute(string sql) => _harness.Execute(sql);

}
