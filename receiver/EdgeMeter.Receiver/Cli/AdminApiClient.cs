using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// The operator commands that change a running receiver go through its admin API, so that the receiver stays the
/// only writer of its database and audit log, and the audit log names the token's owner.
/// </summary>
internal sealed class AdminApiClient : IDisposable
{
    public const string TokenVariable = "EDGEMETER_ADMIN_TOKEN";
    private readonly HttpClient _http;

    private AdminApiClient(HttpClient http) => _http = http;

    public static Option<string> UrlOption() => new("--url") { Description = "The receiver's admin address (Admin.Urls).", DefaultValueFactory = _ => "http://127.0.0.1:8480" };

    public static Option<string> TokenFileOption() => new("--token-file") { Description = $"File holding an admin bearer token (default: the {TokenVariable} variable)." };

    public static Option<string> CaFileOption() => new("--ca-file") { Description = "PEM CA bundle that issued the admin certificate (https with a private CA)." };

    public static AdminApiClient Create(ParseResult parse, Option<string> url, Option<string> tokenFile, Option<string> caFile)
    {
        var token = parse.GetValue(tokenFile) is { } file ? ReadToken(file) : Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CliException($"an admin token is needed: --token-file FILE or the {TokenVariable} variable", ExitCodes.Usage);
        }

        if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--url '{parse.GetValue(url)}' is not an http(s) address", ExitCodes.Usage);
        }

        if (address.Scheme == "http" && !address.IsLoopback)
        {
            throw new CliException($"--url {address}: the admin token would cross the network in clear; use https:// (Admin.Urls with a certificate)", ExitCodes.Usage);
        }

        var handler = new SocketsHttpHandler();
        if (parse.GetValue(caFile) is { } bundlePath)
        {
            var bundle = LoadBundle(bundlePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                CertificateTrust.IsTrusted(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, chain, errors, bundle, trustSystemStore: true);
        }

        var http = new HttpClient(handler) { BaseAddress = new Uri(address.AbsoluteUri.TrimEnd('/') + "/admin/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return new AdminApiClient(http);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellation) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellation);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellation) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellation);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellation);
            }
            catch (HttpRequestException failure)
            {
                throw new CliException($"cannot reach the receiver at {_http.BaseAddress}: {failure.Message}{(failure.InnerException is { } inner ? $" ({inner.Message})" : "")}", ExitCodes.Failure);
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new CliException($"the receiver at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", ExitCodes.Failure);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellation);
                JsonElement body;
                try
                {
                    body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new CliException($"{request.RequestUri}: {(int)response.StatusCode}, not a JSON answer", ExitCodes.Failure);
                }

                if (!response.IsSuccessStatusCode)
                {
                    var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var message) ? message.GetString() : text;
                    throw new CliException($"the receiver refused: {(int)response.StatusCode} {error}", (int)response.StatusCode == 400 ? ExitCodes.Usage : ExitCodes.Failure);
                }

                return body;
            }
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadBundle(string path)
    {
        try
        {
            return CertificateFiles.LoadBundle(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException($"--ca-file {path}: {failure.Message}", ExitCodes.Usage);
        }
    }

    private static string ReadToken(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--token-file {path}: {failure.Message}", ExitCodes.Usage);
        }
    }
}
