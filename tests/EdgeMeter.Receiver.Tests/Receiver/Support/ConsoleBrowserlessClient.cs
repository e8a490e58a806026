using System.Net;
using System.Text.RegularExpressions;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>The web console without a browser: an HTTP client with cookies that signs in through the form, CSRF token included.</summary>
internal static partial class ConsoleBrowserlessClient
{
    public static async Task<HttpClient> SignInAsync(Uri admin, string user, string password)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = admin };
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var login = await http.GetStringAsync("/console/login", TestContext.Current.CancellationToken);
        var signedIn = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf"] = CsrfOf(login), ["user"] = user, ["password"] = password,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode); // the redirect to the fleet, followed
        return http;
    }

    /// <summary>The CSRF token a console page's form carries.</summary>
    public static string CsrfOf(string page) => Csrf().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
