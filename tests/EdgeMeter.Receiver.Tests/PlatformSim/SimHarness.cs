using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.PlatformSim;

namespace EdgeMeter.Receiver.Tests.PlatformSim;

/// <summary>Starts simulators on 127.0.0.1:0 and speaks raw HTTP to them, independent of the receiver's client.</summary>
internal static class SimHarness
{
    public const string Enterprise = PlatformSimOptions.DefaultEnterpriseCode;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<RunningPlatformSim> StartAsync(Action<PlatformSimOptions>? configure = null)
    {
        var options = new PlatformSimOptions();
        configure?.Invoke(options);
        return PlatformSimulator.StartAsync(options, 0, Ct);
    }

    public static HttpClient HttpFor(RunningPlatformSim sim) => new() { BaseAddress = sim.BaseAddress };

    /// <summary>The published example record, made valid for the default enterprise and versions.</summary>
    public static JsonObject ValidRecord(string statDate = "2020-05-20 10:15:00") => new()
    {
        ["enterpriseCode"] = Enterprise,
        ["regVersion"] = "1.0",
        ["dicVersion"] = "1.0",
        ["dataCode"] = "000000000112000001",
        ["dataValue"] = "123.45",
        ["convertRation"] = "1.229",
        ["valid"] = "1",
        ["scope"] = "1",
        ["inputType"] = "4",
        ["statType"] = "0",
        ["statDate"] = statDate,
        ["uploadDate"] = "2020-05-20 10:16:02",
    };

    public static async Task<string> LoginAsync(HttpClient http)
    {
        var (status, body) = await PostAsync(http, "requestAK", new JsonObject
        {
            ["enterpriseCode"] = Enterprise,
            ["password"] = PlatformSimOptions.DefaultPassword,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data").GetProperty("token").GetString()!;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        HttpClient http, string path, JsonNode? body, string? token = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body?.ToJsonString() ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<JsonElement> PostControlAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        var text = await http.GetStringAsync(path, Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
