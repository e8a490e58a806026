using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Platform;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// The HTTP connection to one platform as its trust rules require: which CAs to trust (the system store, the
/// platform's private CA, or both), the client certificate for mutual TLS, the proxy, the connect timeout, and no
/// plain http beyond loopback unless the platform is explicitly allowed it.
/// </summary>
public static class PlatformTransport
{
    /// <summary>Everything wrong with the transport settings of <paramref name="http"/>, each naming its setting under <paramref name="at"/>.</summary>
    public static IReadOnlyList<string> Problems(HttpPlatformOptions http, string at)
    {
        var problems = new List<string>();
        Check(http, at, (setting, message) => problems.Add($"{setting}: {message}"));
        return problems;
    }

    /// <summary>Reports each problem of the transport settings as (setting, message).</summary>
    public static void Check(HttpPlatformOptions http, string at, Action<string, string> problem)
    {
        if (Uri.TryCreate(http.BaseAddress, UriKind.Absolute, out var address) && address.Scheme == "http" && !address.IsLoopback && !http.AllowPlainHttp)
        {
            problem($"{at}.BaseAddress", $"'{http.BaseAddress}' is plain http to a host that is not loopback; use https, or set {at}.AllowPlainHttp where the platform offers no TLS");
        }

        if (http.ConnectTimeoutSeconds < 1)
        {
            problem($"{at}.ConnectTimeoutSeconds", $"must be at least 1");
        }

        if (http.Proxy is { } proxy && (!Uri.TryCreate(proxy, UriKind.Absolute, out var proxyUri) || proxyUri.Scheme is not ("http" or "https")))
        {
            problem($"{at}.Proxy", $"'{proxy}' is not an http(s) proxy address such as http://proxy.corp:3128");
        }

        if (!http.TrustSystemStore && http.CaBundleFile is null)
        {
            problem($"{at}.TrustSystemStore", $"false needs a CaBundleFile, or no server could be trusted");
        }

        Try(problem, $"{at}.CaBundleFile", () => LoadCaBundle(http));
        Try(problem, $"{at}.ClientCertificateFile", () => LoadClientCertificate(http)?.Dispose());
        foreach (var sm4 in http.PasswordProtection?.Problems($"{at}.PasswordProtection") ?? [])
        {
            var colon = sm4.IndexOf(": ", StringComparison.Ordinal);
            problem(sm4[..colon], sm4[(colon + 2)..]);
        }

        if (http.PasswordProtection is { } protection)
        {
            foreach (var (enterprise, password) in http.EnterprisePasswords.Where(pair => !TextCodec.TryDecode(pair.Value, protection.Input, out _)))
            {
                problem($"{at}.EnterprisePasswords", $"the password of {enterprise} is not {protection.Input} text, as PasswordProtection.Input says it is");
            }
        }
    }

    /// <summary>A client for the platform. Assumes <see cref="Problems"/> found nothing; throws naming the file otherwise.</summary>
    public static HttpClient Create(HttpPlatformOptions http)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(http.ConnectTimeoutSeconds),
        };
        if (http.Proxy is { } proxy)
        {
            handler.Proxy = Proxy(new Uri(proxy));
            handler.UseProxy = true;
        }

        var caBundle = LoadCaBundle(http);
        if (caBundle is not null || !http.TrustSystemStore)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                CertificateTrust.IsTrusted(certificate as X509Certificate2, chain, errors, caBundle, http.TrustSystemStore);
        }

        if (LoadClientCertificate(http) is { } client)
        {
            handler.SslOptions.ClientCertificates = [client];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    // Credentials in the address (http://user:pass@proxy:3128) become the proxy's credentials, never part of a message.
    private static WebProxy Proxy(Uri address)
    {
        var proxy = new WebProxy(new UriBuilder(address) { UserName = "", Password = "" }.Uri) { BypassProxyOnLocal = false };
        if (address.UserInfo.Length > 0)
        {
            var parts = address.UserInfo.Split(':', 2);
            proxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        return proxy;
    }

    private static X509Certificate2Collection? LoadCaBundle(HttpPlatformOptions http) =>
        http.CaBundleFile is { } path ? CertificateFiles.LoadBundle(path) : null;

    private static X509Certificate2? LoadClientCertificate(HttpPlatformOptions http)
    {
        if (http.ClientCertificateFile is not { } path)
        {
            return http.ClientKeyFile is null ? null : throw new CryptographicException("ClientKeyFile is set but ClientCertificateFile is not");
        }

        return CertificateFiles.LoadWithKey(path, http.ClientCertificatePassword, http.ClientKeyFile);
    }

    private static void Try(Action<string, string> problem, string setting, Action load)
    {
        try
        {
            load();
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem(setting, failure.Message);
        }
    }
}
