using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// The provincial platform pushes a message the way a real one would without reaching into the enterprise: a JWS
/// signed with its push key, handed to the receiver (here over HTTPS's path, /platform/push), which forwards it to
/// the gateways the province serves. Shown = the gateways that replied ok to the platform-message command.
/// </summary>
internal sealed class DemoPush(DemoPlan plan, HttpClient http)
{
    public const string Text = "请于月底前完成表计校验 / please calibrate the meters before month end";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task<(int Expected, int Shown)> RunAsync(CancellationToken cancel)
    {
        var admin = $"http://127.0.0.1:{plan.Ports.Admin}/";

        // At a high simulated speed the forward's day to live is seconds: push once the gateways take commands.
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !await ReadyAsync(admin, cancel))
        {
            await Task.Delay(250, cancel);
        }

        using var content = new StringContent(Sign(), Encoding.ASCII);
        using var pushed = await http.PostAsync(admin + "platform/push", content, cancel);
        var targets = plan.Gateways.Where(g => g.Enterprise == DemoPlan.ProvincialEnterprise).Select(g => g.Id).ToList();
        if (!pushed.IsSuccessStatusCode)
        {
            return (targets.Count, 0);
        }

        deadline = DateTime.UtcNow + Patience;
        var shown = 0;
        while (DateTime.UtcNow < deadline && (shown = await ShownAsync(admin, targets, cancel)) < targets.Count)
        {
            await Task.Delay(500, cancel);
        }

        return (targets.Count, shown);
    }

    // Every gateway of the province connected and subscribed to its commands.
    private async Task<bool> ReadyAsync(string admin, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{admin}admin/gateways");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", plan.AdminToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancel);
        }
        catch (HttpRequestException)
        {
            return false; // the receiver is restarting
        }

        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var gateways = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
        var ready = gateways.RootElement.EnumerateArray()
            .Where(g => g.GetProperty("readyForCommands").GetBoolean()).Select(g => g.GetProperty("gateway").GetString()).ToHashSet();
        return plan.Gateways.Where(g => g.Enterprise == DemoPlan.ProvincialEnterprise).All(g => ready.Contains(g.Id));
    }

    private string Sign()
    {
        var now = DateTime.SpecifyKind(plan.Calendar?.Clock.UtcNow ?? DateTime.UtcNow, DateTimeKind.Utc);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DemoPlan.PlatformReader,
            Audience = DemoPlan.ProvincialEnterprise,
            IssuedAt = now,
            Claims = new Dictionary<string, object> { ["jti"] = $"demo-{Guid.NewGuid():N}", ["text"] = Text },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(plan.PushSecret)), SecurityAlgorithms.HmacSha256),
        });
    }

    private async Task<int> ShownAsync(string admin, List<string> gateways, CancellationToken cancel)
    {
        var shown = 0;
        foreach (var gateway in gateways)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{admin}admin/gateways/{gateway}/commands");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", plan.AdminToken);
            using var response = await http.SendAsync(request, cancel);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            using var commands = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
            shown += commands.RootElement.EnumerateArray().Any(c =>
                c.GetProperty("name").GetString() == "platform-message" && c.GetProperty("state").GetString() == "replied" && c.GetProperty("result").GetString() == "ok") ? 1 : 0;
        }

        return shown;
    }
}
