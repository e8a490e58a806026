using System.Text.Json;
using EdgeMeter.PlatformSim.Faults;

namespace EdgeMeter.PlatformSim.Api;

/// <summary>The test-facing /_sim API: query what was accepted, read counters, inject faults, change versions.</summary>
internal static class SimControlEndpoints
{
    public static void Map(WebApplication app, SimState sim)
    {
        app.MapGet("/_sim/records", (HttpContext context) => Results.Json(Query(sim, context.Request.Query), SimJson.Options));
        app.MapDelete("/_sim/records", () =>
        {
            var count = sim.Store.Snapshot().Count;
            sim.Store.Clear();
            return Results.Json(new { cleared = count }, SimJson.Options);
        });
        app.MapGet("/_sim/quality", (string? enterpriseCode) => Results.Json(
            Records.QualityReport.Of(sim.Store.Snapshot().Where(r => enterpriseCode is null || r.EnterpriseCode == enterpriseCode)), SimJson.Options));
        app.MapGet("/_sim/stats", () => Results.Json(sim.Counters.Snapshot(sim.Name), SimJson.Options));
        app.MapGet("/_sim/faults", () => Results.Json(sim.Faults.Current, SimJson.Options));
        app.MapPost("/_sim/faults", (JsonElement body) => ApplyFaults(sim.Faults, body));
        app.MapDelete("/_sim/faults", () =>
        {
            sim.Faults.Clear();
            return Results.Json(sim.Faults.Current, SimJson.Options);
        });
        app.MapGet("/_sim/data-codes", () => Results.Json(new { registered = sim.RegisteredDataCodes }, SimJson.Options));
        app.MapPost("/_sim/data-codes", (JsonElement body) =>
        {
            if (Text(body, "dataCode") is not { Length: 18 } code)
            {
                return Results.Json(new { error = "dataCode: 18 characters required" }, SimJson.Options, statusCode: 400);
            }

            sim.Register(code);
            return Results.Json(new { registered = sim.RegisteredDataCodes }, SimJson.Options);
        });
        app.MapGet("/_sim/versions", () => VersionsResult(sim));
        app.MapPost("/_sim/versions", (JsonElement body) =>
        {
            var (reg, dic) = sim.Versions;
            sim.Versions = (Text(body, "regVersion") ?? reg, Text(body, "dicVersion") ?? dic);
            return VersionsResult(sim);
        });
    }

    /// <summary>Filters by any of dataCode, enterpriseCode, statDate, statType, idempotencyKey (exact match).</summary>
    private static IEnumerable<Records.SimRecord> Query(SimState sim, IQueryCollection query)
    {
        bool Matches(string name, string? value) => !query.TryGetValue(name, out var wanted) || wanted.ToString() == value;

        return sim.Store.Snapshot().Where(r =>
            Matches("dataCode", r.DataCode) && Matches("enterpriseCode", r.EnterpriseCode) && Matches("statDate", r.StatDate)
            && Matches("statType", r.StatType) && Matches("idempotencyKey", r.IdempotencyKey));
    }

    /// <summary>
    /// Merges the posted fields into the current faults (absent fields stay; "clear": true starts from none).
    /// "expireTokens": true and "seed": N are actions, not settings.
    /// </summary>
    private static IResult ApplyFaults(FaultInjector faults, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Results.BadRequest(new { error = "body: not a JSON object" });
        }

        var next = body.TryGetProperty("clear", out var clear) && clear.ValueKind == JsonValueKind.True
            ? FaultSettings.None
            : faults.Current;
        int? seed = null;
        var expireTokens = false;
        try
        {
            foreach (var property in body.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "clear": break;
                    case "status5xx": next = next with { Status5xx = value.GetDouble() }; break;
                    case "status5xxCode": next = next with { Status5xxCode = value.GetInt32() }; break;
                    case "timeoutMs": next = next with { TimeoutMs = value.GetInt32() }; break;
                    case "timeouts":
                        next = next with { Timeouts = value.ValueKind == JsonValueKind.Null ? null : value.GetDouble() };
                        break;
                    case "slowMs": next = next with { SlowMs = value.GetInt32() }; break;
                    case "down": next = next with { Down = value.GetBoolean() }; break;
                    case "seed": seed = value.GetInt32(); break;
                    case "expireTokens": expireTokens = value.GetBoolean(); break;
                    default: return Results.BadRequest(new { error = $"{property.Name}: unknown fault" });
                }
            }

            faults.Set(next);
        }
        catch (Exception problem) when (problem is InvalidOperationException or FormatException or ArgumentException)
        {
            return Results.BadRequest(new { error = problem.Message });
        }

        if (seed is { } newSeed)
        {
            faults.Reseed(newSeed);
        }

        if (expireTokens)
        {
            faults.ExpireTokens();
        }

        return Results.Json(faults.Current, SimJson.Options);
    }

    private static IResult VersionsResult(SimState sim)
    {
        var (reg, dic) = sim.Versions;
        return Results.Json(new { regVersion = reg, dicVersion = dic }, SimJson.Options);
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
