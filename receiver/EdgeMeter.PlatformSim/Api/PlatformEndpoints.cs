using EdgeMeter.Common.Platform;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMeter.PlatformSim.Records;

namespace EdgeMeter.PlatformSim.Api;

/// <summary>The upload interface itself: /requestAK, /checkVersion and /dataEnterpriseEnergy (single or batch).</summary>
internal static partial class PlatformEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void Map(WebApplication app, SimState sim)
    {
        app.MapPost("/requestAK", context => RequestAkAsync(context, sim));
        app.MapPost("/checkVersion", context => CheckVersionAsync(context, sim));
        app.MapPost("/dataEnterpriseEnergy", context => UploadAsync(context, sim));
    }

    private static async Task RequestAkAsync(HttpContext context, SimState sim)
    {
        using var body = await ReadJsonAsync(context);
        if (body is null || body.RootElement.ValueKind != JsonValueKind.Object)
        {
            await PlatformReply.ErrorAsync(context, 400, "body", "body: not a JSON object");
            return;
        }

        var code = StringProperty(body.RootElement, "enterpriseCode");
        var password = StringProperty(body.RootElement, "password");
        if (code is null || password is null)
        {
            var field = code is null ? "enterpriseCode" : "password";
            await PlatformReply.ErrorAsync(context, 400, field, $"{field}: missing");
            return;
        }

        if (CreditCode.Problem(code) is { } invalid)
        {
            await PlatformReply.ErrorAsync(context, 400, "enterpriseCode", $"enterpriseCode: {invalid}");
            return;
        }

        var received = sim.PasswordCipher is { } cipher ? cipher.Unprotect(password) : password;
        if (received is null)
        {
            await PlatformReply.ErrorAsync(context, 403, "password", "password: not SM4-protected with this platform's key, mode, padding and encoding");
            return;
        }

        if (!sim.Enterprises.TryGetValue(code, out var expected) || expected != received)
        {
            await PlatformReply.ErrorAsync(context, 403, "enterpriseCode", "enterpriseCode/password: not recognised");
            return;
        }

        var token = sim.Tokens.Issue(code);
        sim.Counters.TokenIssued();
        await PlatformReply.WriteAsync(context, 200, "ok", new
        {
            token = token.Value,
            akExpiresIn = PlatformTime.FormatWithMilliseconds(token.ExpiresAt),
            akValidAt = PlatformTime.FormatWithMilliseconds(token.IssuedAt),
            enterpriseUploadTime = sim.Options.EnterpriseUploadTime,
            platformURL = $"{context.Request.Scheme}://{context.Request.Host}/",
        });
    }

    private static async Task CheckVersionAsync(HttpContext context, SimState sim)
    {
        if (await RefuseWithoutTokenAsync(context, sim) is null)
        {
            return;
        }

        var (reg, dic) = sim.Versions;
        await PlatformReply.WriteAsync(context, 200, "ok", new { regVersion = reg, dicVersion = dic });
    }

    private static async Task UploadAsync(HttpContext context, SimState sim)
    {
        if (await RefuseWithoutTokenAsync(context, sim) is not { } enterprise)
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        var keys = context.Request.Headers[IdempotencyHeader].ToString();
        switch (body?.RootElement.ValueKind)
        {
            case JsonValueKind.Object:
                await UploadOneAsync(context, sim, enterprise, body.RootElement, keys);
                break;
            case JsonValueKind.Array:
                await UploadBatchAsync(context, sim, enterprise, body.RootElement, keys);
                break;
            default:
                sim.Counters.Rejected();
                await PlatformReply.ErrorAsync(context, 400, "body", "body: not a record object or an array of records");
                break;
        }
    }

    private static async Task UploadOneAsync(HttpContext context, SimState sim, string enterprise, JsonElement record, string key)
    {
        var outcome = Process(sim, enterprise, record, key);
        if (outcome.Error is { } error)
        {
            await PlatformReply.ErrorAsync(context, error.Code, error.Field, error.Message);
            return;
        }

        PlatformReply.Note(context, $"{(outcome.Duplicate ? "duplicate" : "accepted")} {outcome.Record!.DataCode} {outcome.Record.StatDate}");
        await PlatformReply.WriteAsync(
            context,
            200,
            outcome.Duplicate ? "duplicate absorbed" : "accepted",
            new { duplicate = outcome.Duplicate, sequence = outcome.Record.Sequence });
    }

    /// <summary>
    /// Our extension: a JSON array of records, each processed on its own (one bad record does not block the rest).
    /// Idempotency-Key then holds one key per record, comma-separated, in order (an empty entry means none).
    /// data.results holds one envelope per record, as a single upload would have been answered, plus its index.
    /// </summary>
    private static async Task UploadBatchAsync(HttpContext context, SimState sim, string enterprise, JsonElement batch, string keyHeader)
    {
        var count = batch.GetArrayLength();
        var limit = sim.Options.MaxBatchSize;
        if (count == 0 || count > limit)
        {
            sim.Counters.Rejected();
            await PlatformReply.ErrorAsync(
                context,
                count == 0 ? 400 : 413,
                "records",
                count == 0 ? "records: empty batch" : $"records: batch of {count} exceeds the limit of {limit}");
            return;
        }

        var keys = keyHeader.Length == 0 ? Enumerable.Repeat(string.Empty, count).ToArray() : keyHeader.Split(',');
        if (keys.Length != count)
        {
            sim.Counters.Rejected();
            await PlatformReply.ErrorAsync(
                context, 400, IdempotencyHeader, $"{IdempotencyHeader}: {keys.Length} keys for {count} records");
            return;
        }

        var results = new List<object>(count);
        int accepted = 0, duplicates = 0, rejected = 0;
        var index = 0;
        foreach (var record in batch.EnumerateArray())
        {
            var outcome = Process(sim, enterprise, record, keys[index]);
            if (outcome.Error is { } error)
            {
                rejected++;
                results.Add(new { index, responseCode = error.Code, responseMessage = error.Message, data = new { field = error.Field } });
            }
            else
            {
                if (outcome.Duplicate)
                {
                    duplicates++;
                }
                else
                {
                    accepted++;
                }

                results.Add(new
                {
                    index,
                    responseCode = 200,
                    responseMessage = outcome.Duplicate ? "duplicate absorbed" : "accepted",
                    data = new { duplicate = outcome.Duplicate, sequence = outcome.Record!.Sequence },
                });
            }

            index++;
        }

        var summary = $"batch of {count}: {accepted} accepted, {duplicates} duplicates, {rejected} rejected";
        PlatformReply.Note(context, summary);
        await PlatformReply.WriteAsync(context, 200, summary, new { accepted, duplicates, rejected, results });
    }

    /// <summary>Validates and stores one record, updating the counters.</summary>
    private static RecordOutcome Process(SimState sim, string enterprise, JsonElement element, string rawKey)
    {
        var key = rawKey.Trim();
        if (key.Length > 0 && !KeyPattern().IsMatch(key))
        {
            sim.Counters.Rejected();
            return new RecordOutcome(RecordError.BadField(
                IdempotencyHeader, $"'{key}' is not 1-128 characters of letters, digits and :._-/"));
        }

        var (reg, dic) = sim.Versions;
        if (RecordValidator.Validate(element, enterprise, reg, dic, out var record) is { } error)
        {
            sim.Counters.Rejected();
            return new RecordOutcome(error);
        }

        if (!sim.Accepts(record!.DataCode))
        {
            sim.Counters.Rejected();
            return new RecordOutcome(new RecordError(422, "dataCode", $"dataCode: {record.DataCode} is not registered for this enterprise"));
        }

        var stored = sim.Store.Add(record, key.Length == 0 ? null : key, sim.Name, sim.Options.TimeProvider.GetUtcNow());
        if (stored.IsNew)
        {
            sim.Counters.Accepted();
            return new RecordOutcome(null, stored.Record, Duplicate: false);
        }

        if (stored.IsDuplicate)
        {
            sim.Counters.Duplicate();
            return new RecordOutcome(null, stored.Record, Duplicate: true);
        }

        sim.Counters.Rejected();
        var field = stored.ConflictingField!;
        return new RecordOutcome(new RecordError(
            422, field, $"{field}: differs from record {stored.Record.Sequence} already accepted under the same key"));
    }

    /// <summary>Answers 401 and returns null unless the bearer token is valid; else the token's enterprise code.</summary>
    private static async Task<string?> RefuseWithoutTokenAsync(HttpContext context, SimState sim)
    {
        var check = sim.Tokens.Check(context.Request.Headers.Authorization.ToString());
        if (check.IsValid)
        {
            return check.EnterpriseCode;
        }

        sim.Counters.Unauthorized();
        await PlatformReply.ErrorAsync(context, 401, "token", check.Problem);
        return null;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[A-Za-z0-9:._/-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    private sealed record RecordOutcome(RecordError? Error, SimRecord? Record = null, bool Duplicate = false);
}
