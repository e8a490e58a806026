using System.Net;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using EdgeMeter.Receiver.WebConsole;
using MQTTnet;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>
/// The web console in Debian's Chromium, headless, driven by chromium-driver: sign in (a wrong password first), see
/// the fleet in Chinese (the browser's language) and in English, the platforms, energy (with a CSV export), readings, data-quality and messages pages, sign out. EDGEMETER_UPDATE_DOCS=1 keeps the
/// screenshot README shows.
/// </summary>
public sealed class WebConsoleBrowserTests : IAsyncLifetime
{
    private const string Manager = "energy-manager";
    private const string Password = "correct-horse-battery";
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Sign_in_see_the_fleet_in_both_languages_and_sign_out_in_chromium()
    {
        var chromium = Peers.Require("chromium", "chromium");
        var chromedriver = Peers.Require("chromedriver", "chromium-driver");
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile, [new ConsoleUser(Manager, ConsoleRole.Operator, PasswordHash.Create(Password, 1000))]);
        _harness.AddItem("000000000112000001", TestKeys.Gateway1, "000012345678", "00010000");
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        Assert.True((await _gateway.PublishAsync(PacketKind.Status, _gateway.SignStatus(1, GatewayState.Online, will: 0), retain: true)).IsSuccess);
        Assert.True((await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(2, TestGateway.Reading(1, "100.01"), TestGateway.Reading(2, "100.26", minute: 15)))).IsSuccess);
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM packets WHERE kind = 'status'") == 1, "the gateway's status");
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 2, "the gateway's readings");
        var console = new Uri(_harness.Receiver!.AdminAddress, "/console");

        using var browser = Chromium(chromium, chromedriver);
        browser.Navigate().GoToUrl(console);
        Assert.EndsWith("/console/login", browser.Url, StringComparison.Ordinal);
        Assert.Contains("登录", browser.Title, StringComparison.Ordinal);

        SignIn(browser, "wrong-password-here");
        Assert.Equal("用户名或密码错误。", browser.FindElement(By.Id("error")).Text);
        SignIn(browser, Password);

        var row = browser.FindElement(By.CssSelector("#fleet tr[data-gateway='gw-0001']"));
        Assert.Contains("在线", row.Text, StringComparison.Ordinal);
        Assert.Contains("0.4.1", row.Text, StringComparison.Ordinal);
        Screenshot(browser, "console-fleet-zh.png");
        Go(browser, "lang");
        Assert.Contains("online", browser.FindElement(By.CssSelector("#fleet tr[data-gateway='gw-0001']")).Text, StringComparison.Ordinal);
        Assert.Contains("Signed in as energy-manager", browser.FindElement(By.TagName("header")).Text, StringComparison.Ordinal);
        Screenshot(browser, "console-fleet.png");

        browser.Navigate().GoToUrl(new Uri(browser.FindElement(By.CssSelector("#fleet tr[data-gateway='gw-0001'] a")).GetAttribute("href")!));
        Assert.Equal("Gateway gw-0001", browser.FindElement(By.TagName("h2")).Text);
        Go(browser, "send-command"); // the first command: read the meters now
        Assert.StartsWith("Command 1 queued", browser.FindElement(By.Id("queued")).Text, StringComparison.Ordinal);
        Assert.Contains("read-now", browser.FindElement(By.Id("command-list")).Text, StringComparison.Ordinal);

        Go(browser, "nav-platforms");
        Assert.Equal("Platforms", browser.FindElement(By.TagName("h2")).Text);
        Assert.Equal("No record is waiting in dead letters.", browser.FindElement(By.Id("no-dead-letters")).Text);
        Go(browser, "nav-energy");
        Assert.Equal("Energy", browser.FindElement(By.TagName("h2")).Text);
        Assert.Contains("000000000112000001", browser.FindElement(By.Id("item")).Text, StringComparison.Ordinal);
        Go(browser, "show");
        Assert.True(browser.FindElement(By.Id("day-curve")).Displayed);
        Assert.StartsWith("Total: 0 kWh", browser.FindElement(By.Id("day-curve-total")).Text, StringComparison.Ordinal);
        // The export link downloads a CSV; fetched with the browser's own session cookie.
        var export = new Uri(browser.FindElement(By.Id("export-readings")).GetAttribute("href")!);
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Add("Cookie", $"em_session={browser.Manage().Cookies.GetCookieNamed("em_session")!.Value}");
            var csv = await http.GetAsync(export, TestContext.Current.CancellationToken);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("# EdgeMeter readings, Beijing days ", await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        browser.Navigate().GoToUrl(new Uri(console, "/console/readings?day=2025-06-01"));
        Assert.Equal("Readings", browser.FindElement(By.TagName("h2")).Text);
        Assert.Equal(
            ["2025-06-01 07:00:00 100.01 kWh", "2025-06-01 07:15:00 100.26 kWh"],
            browser.FindElements(By.CssSelector("#readings tbody tr")).Select(r => r.Text.Trim()));
        Go(browser, "nav-quality");
        Assert.Equal("Data quality", browser.FindElement(By.TagName("h2")).Text);
        Assert.True(browser.FindElement(By.CssSelector("#calendar tr[data-item='91530100MA6NXKB7X1/000000000112000001']")).Displayed);
        Go(browser, "nav-messages");
        Assert.Equal("No platform has pushed a message.", browser.FindElement(By.Id("no-messages")).Text);

        Go(browser, "sign-out");
        Assert.EndsWith("/console/login", browser.Url, StringComparison.Ordinal);
        browser.Navigate().GoToUrl(new Uri(console, "/console/fleet"));
        Assert.EndsWith("/console/login", browser.Url, StringComparison.Ordinal);

        var audit = await File.ReadAllTextAsync(_harness.Options.Admin.AuditLog, TestContext.Current.CancellationToken);
        Assert.Contains("\"actor\":\"console:energy-manager\",\"action\":\"console.signin\",\"target\":\"console\",\"outcome\":\"denied\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"console.signin\",\"target\":\"console\",\"outcome\":\"ok\",\"detail\":\"role operator", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"console.signout\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"console:energy-manager\",\"action\":\"command.queue\",\"target\":\"gw-0001\",\"outcome\":\"ok\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_without_the_forms_csrf_token_is_refused()
    {
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        ConsoleUsers.Write(_harness.Options.Console.UsersFile, [new ConsoleUser(Manager, ConsoleRole.Viewer, PasswordHash.Create(Password, 1000))]);
        await _harness.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _harness.Receiver!.AdminAddress };

        var forged = await http.PostAsync("console/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = Manager, ["password"] = Password, ["csrf"] = "guessed" }), TestContext.Current.CancellationToken);
        var page = await http.GetAsync("console/fleet", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie") && forged.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(ConsoleEndpointsCookie, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/console/login", page.Headers.Location!.OriginalString);
    }

    private const string ConsoleEndpointsCookie = "em_session";

    /// <summary>Clicks what loads a new page and waits until the old page is gone (a click does not always wait).</summary>
    private static void Go(IWebDriver browser, string id)
    {
        var page = browser.FindElement(By.TagName("html"));
        browser.FindElement(By.Id(id)).Click();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                _ = page.Enabled;
            }
            catch (Exception gone) when (gone is StaleElementReferenceException or UnknownErrorException)
            {
                return; // Chromium says "stale", or that the node no longer belongs to the document
            }

            Assert.True(DateTime.UtcNow < deadline, $"clicking {id} loaded no new page");
            Thread.Sleep(50);
        }
    }

    private static void Screenshot(IWebDriver browser, string name)
    {
        if (Environment.GetEnvironmentVariable("EDGEMETER_UPDATE_DOCS") == "1")
        {
            ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(Repo.Root, "docs", "images", name));
        }
    }

    private static void SignIn(IWebDriver browser, string password)
    {
        browser.FindElement(By.Id("user")).Clear();
        browser.FindElement(By.Id("user")).SendKeys(Manager);
        browser.FindElement(By.Id("password")).SendKeys(password);
        Go(browser, "sign-in");
    }

    private static ChromeDriver Chromium(string chromium, string chromedriver)
    {
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,720", "--lang=zh-CN");
        options.AddUserProfilePreference("intl.accept_languages", "zh-CN,zh");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
