using System.Data.Common;
using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeMeter.Receiver.Ops;

/// <summary>The JSON body of POST /admin/gateways/{gw}/commands.</summary>
public sealed record CommandRequest(string? Name, Dictionary<string, string>? Args, int? TtlSeconds);

/// <summary>
/// /healthz and /metrics (no token: serve them on loopback or a management network), and /admin/* behind a
/// bearer token. Every admin action and every refused token lands in the audit log.
/// </summary>
internal static class AdminEndpoints
{
    private const string ActorItem = "edgemeter.actor";
    internal const int DefaultTimeToLiveSeconds = 300;

    public static void Map(WebApplication app, ReceiverServices services)
    {
        app.MapGet("/healthz", () =>
        {
            var (healthy, body) = HealthReport.Build(services.Store, services.Link, services.Mode, services.Tiers);
            return Results.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", () => Results.Text(
            MetricsReport.Render(services.Metrics, services.Store, services.Tiers, services.Link, services.Indicators, services.Time), PrometheusText.ContentType));

        if (services.Pushes.Enabled)
        {
            // Two parameters, so that minimal APIs do not take the lambda for a RequestDelegate and drop its IResult.
            app.MapPost("/platform/push", (HttpContext http, CancellationToken _) => TakePushAsync(services, http));
        }

        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (services.Tokens.Match(http.Request.Headers.Authorization) is not { } actor)
            {
                services.Audit.Append("anonymous", $"{http.Request.Method} {http.Request.Path}", http.Request.Path, "denied", $"missing or unknown bearer token, from {http.Connection.RemoteIpAddress}");
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Json(new { error = "a valid bearer token is required" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Items[ActorItem] = actor;
            return await next(context);
        });

        admin.MapPost("/gateways/{gw}/commands", async (string gw, CommandRequest request, HttpContext http) =>
        {
            var actor = (string)http.Items[ActorItem]!;
            try
            {
                var command = await services.Commands.QueueAsync(
                    gw, request.Name ?? "", request.Args ?? [], TimeSpan.FromSeconds(request.TtlSeconds ?? DefaultTimeToLiveSeconds), actor);
                services.Audit.Append(actor, "command.queue", gw, "ok", $"command {command.Id} seq {command.Sequence} {command.Name}");
                return Results.Json(command, statusCode: StatusCodes.Status202Accepted);
            }
            catch (CommandRequestException problem)
            {
                services.Audit.Append(actor, "command.queue", gw, "refused", problem.Message);
                return Results.Json(new { error = problem.Message }, statusCode: problem.UnknownGateway ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
            }
        });
        admin.MapGet("/gateways/{gw}/commands/{id:long}", (string gw, long id) =>
            services.Commands.Get(gw, id) is { } command ? Results.Json(command) : Results.Json(new { error = $"no command {id} for {gw}" }, statusCode: StatusCodes.Status404NotFound));
        admin.MapGet("/gateways/{gw}/commands", (string gw, int? limit) => Results.Json(services.Commands.List(gw, Limit(limit))));
        admin.MapGet("/gateways", () => Results.Json(Gateways(services)));
        admin.MapGet("/gateways/{gw}", (string gw) =>
            services.Store.Read(db => GatewayCommissioning.Show(db, gw, services.Link.IsReady(gw))) is { } shown
                ? Results.Text(shown.ToJsonString(), "application/json")
                : Results.Json(new { error = $"gateway {gw} has sent nothing yet" }, statusCode: StatusCodes.Status404NotFound));
        admin.MapGet("/store", () => Results.Json(StoreTotals(services.Store)));
        admin.MapGet("/readings", (string? gateway, long? after, int? limit) => gateway is null
            ? Results.Json(new { error = "gateway: required (and after: the last reading number already read, limit: at most 10000)" }, statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(services.Store.Read(db => db.Query(
                "SELECT n, meter, point, t, val, unit, flags FROM readings WHERE gw = @g AND n > @after ORDER BY n LIMIT @limit",
                r => new { n = r.GetInt64(0), meter = r.GetString(1), point = r.GetString(2), t = r.GetString(3), value = r.GetString(4), unit = r.GetString(5), flags = r.GetInt32(6) },
                ("@g", gateway), ("@after", after ?? 0), ("@limit", Math.Clamp(limit ?? 1000, 1, 10_000))))));
        admin.MapGet("/quarantine", (int? limit) => Results.Json(Quarantine(services.Store, Limit(limit))));
        admin.MapGet("/quarantine/summary", (int? days) => days is < 1 or > 400
            ? Results.Json(new { error = "days: 1-400" }, statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(QuarantineSummary(services.Store, services.Time.GetUtcNow().UtcDateTime.AddDays(1 - (days ?? 7)))));
        admin.MapPost("/quarantine/{id:long}/retry", async (long id, HttpContext http) => await RetryAsync(services, id, (string)http.Items[ActorItem]!));
        MapDeadLetters(admin, services);
        admin.MapGet("/platform-messages", (int? limit) => Results.Json(services.Store.Read(db => db.Query(
            "SELECT id, account, platform, message_id, issued_at, received_at, via, text, gateways, forwarded FROM platform_messages ORDER BY id DESC LIMIT @limit",
            r => new
            {
                id = r.GetInt64(0), account = r.GetString(1), platform = r.GetString(2), messageId = r.GetString(3), issuedAt = r.GetString(4), receivedAt = r.GetString(5),
                via = r.GetString(6), text = r.GetString(7), gateways = System.Text.Json.JsonSerializer.Deserialize<string[]>(r.GetString(8)),
                forwarded = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(9)),
            },
            ("@limit", Limit(limit))))));
        MapIndicators(admin, services);
    }

    // A platform that prefers HTTPS POSTs the same signed message it would publish: the signature is the authentication.
    private static async Task<IResult> TakePushAsync(ReceiverServices services, HttpContext http)
    {
        const int Limit = 16 * 1024;
        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[Limit + 1];
        var length = await reader.ReadBlockAsync(buffer, http.RequestAborted);
        if (length > Limit)
        {
            return Results.Json(new { error = "a push is at most 16 KiB" }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var outcome = await services.Pushes.ReceiveAsync(null, "https", new string(buffer, 0, length));
        return outcome.Disposition switch
        {
            Pushes.PushDisposition.Accepted => Results.Json(new { id = outcome.Id, forwarded = outcome.Forwarded }, statusCode: StatusCodes.Status201Created),
            Pushes.PushDisposition.Duplicate => Results.Json(new { duplicate = true, detail = outcome.Detail }),
            _ => Results.Json(new { error = outcome.Detail }, statusCode: StatusCodes.Status403Forbidden),
        };
    }

    private static void MapDeadLetters(RouteGroupBuilder admin, ReceiverServices services)
    {
        var httpTiers = services.Tiers.OfType<Relay.HttpTier>().Select(tier => tier.Name).ToHashSet(StringComparer.Ordinal);
        var tierNames = services.Tiers.Select(tier => tier.Name).ToList();
        admin.MapGet("/dead-letters", (string? state, string? tier, int? limit) =>
            state is null or "dead" or "resend" or "resent" or "superseded" or "dropped"
                ? Results.Json(services.Store.Read(db => Relay.DeadLetters.List(db, state, tier, Limit(limit), httpTiers)))
                : Results.Json(new { error = $"state: '{state}' is not dead, resend, resent, superseded or dropped" }, statusCode: StatusCodes.Status400BadRequest));
        admin.MapPost("/dead-letters/retry", (Relay.DeadLetterSelection selection, HttpContext http) =>
            ActOnDeadLettersAsync(services, selection, (string)http.Items[ActorItem]!, "dead-letters.retry", (db, actor, _) => Relay.DeadLetters.MarkForResend(db, selection, tierNames, actor)));
        admin.MapPost("/dead-letters/drop", (Relay.DeadLetterSelection selection, HttpContext http) =>
            ActOnDeadLettersAsync(services, selection, (string)http.Items[ActorItem]!, "dead-letters.drop", (db, actor, now) => Relay.DeadLetters.Drop(db, selection, null, actor, now)));
    }

    private static async Task<IResult> ActOnDeadLettersAsync(
        ReceiverServices services, Relay.DeadLetterSelection selection, string actor, string action,
        Func<System.Data.Common.DbConnection, string, string, IReadOnlyList<long>> act)
    {
        var (problem, ids) = await DeadLetterActions.ActAsync(services, selection, actor, action, act);
        return problem is not null
            ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(new { count = ids.Count, ids });
    }

    private static void MapIndicators(RouteGroupBuilder admin, ReceiverServices services)
    {
        var indicators = services.Indicators;
        admin.MapGet("/items", () => Results.Json(indicators.Items.Items.Select(item => new
        {
            dataCode = item.DataCode, name = item.Name, enterprise = item.Enterprise, kind = item.Kind.ToString(), unit = item.Unit,
            intervalMinutes = item.IntervalMinutes, terms = item.Terms.Select(t => new { series = t.Series.ToString(), factor = t.Factor.ToString() }),
        })));
        admin.MapGet("/indicators", (string? enterprise, string? dataCode, int? statType, string? from, string? to, int? limit) =>
        {
            if (!TryDay(from, out var fromDay) || !TryDay(to, out var toDay))
            {
                return Results.Json(new { error = "from/to: a Beijing date like 2026-05-20" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var item = dataCode is null ? null : indicators.Items.Find(enterprise, dataCode);
            if (dataCode is not null && item is null)
            {
                return Results.Json(new { error = $"dataCode: {dataCode} is no configured item (give enterprise where two enterprises share it)" }, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Json(services.Store.Read(db => IndicatorQueries.Values(
                db, item, statType, fromDay is { } f ? IndicatorQueries.Beijing(f) : null, toDay is { } t ? IndicatorQueries.Beijing(t).AddDays(1) : null, Limit(limit))));
        });
        admin.MapGet("/indicators/trace", (string? enterprise, string? dataCode, int? statType, string? statDate) =>
        {
            if (indicators.Items.Find(enterprise, dataCode ?? "") is not { } item || statType is not (>= 0 and <= 3) ||
                !DateTime.TryParseExact(statDate, Relay.Http.PlatformTime.DateFormat, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var wallClock))
            {
                return Results.Json(new { error = "dataCode (a configured item), statType (0-3) and statDate (yyyy-MM-dd HH:mm:ss, Beijing) are required" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var period = BeijingCalendar.PeriodOf((Relay.Http.StatType)statType, IndicatorQueries.Beijing(wallClock), item.IntervalMinutes);
            return Results.Json(services.Store.Read(db => IndicatorQueries.Trace(db, item, period, indicators.Options)));
        });
        admin.MapGet("/completeness", (string? day) =>
        {
            var now = Relay.Http.PlatformTime.Now(services.Time);
            if (!TryDay(day, out var chosen))
            {
                return Results.Json(new { error = "day: a Beijing date like 2026-05-20" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var date = DateOnly.FromDateTime(chosen ?? now.Date.AddDays(-1));
            var items = services.Store.Read(db => IndicatorQueries.Completeness(db, indicators.Items, date, indicators.Options.CompletenessTargetPercent));
            return Results.Json(new { day = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), targetPercent = indicators.Options.CompletenessTargetPercent, items, below = items.Where(i => i.BelowTarget).Select(i => $"{i.Enterprise}/{i.DataCode}") });
        });
        admin.MapGet("/unmapped", () => Results.Json(services.Store.Read(IndicatorQueries.Unmapped)));
        admin.MapGet("/corrections", (int? limit) => Results.Json(services.Store.Read(db => IndicatorQueries.Corrections(db, Limit(limit)))));
        admin.MapGet("/meter-replacements", () => Results.Json(services.Store.Read(IndicatorQueries.Replacements)));
        admin.MapPost("/meter-replacements", async (ReplacementRequest request, HttpContext http) =>
        {
            var actor = (string)http.Items[ActorItem]!;
            var (replacement, problem) = request.Parse(indicators.Items);
            if (replacement is null)
            {
                services.Audit.Append(actor, "meter.replace", $"{request.Gateway}/{request.Meter}/{request.Point}", "refused", problem!);
                return Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest);
            }

            await services.Store.WriteAsync(db => IndicatorQueries.RecordReplacement(db, indicators.Items, replacement, actor, services.Time.GetUtcNow().UtcDateTime));
            indicators.Engine.Wake();
            services.Audit.Append(actor, "meter.replace", replacement.Series.ToString(), "ok", $"at {request.At}: old final {replacement.OldFinal}, new initial {replacement.NewInitial}");
            return Results.Json(new { recorded = replacement.Series.ToString(), at = request.At, oldFinal = replacement.OldFinal.ToString(), newInitial = replacement.NewInitial.ToString() }, statusCode: StatusCodes.Status201Created);
        });
    }

    private static bool TryDay(string? text, out DateTime? day)
    {
        day = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        day = parsed;
        return true;
    }

    private static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, 1000);

    private static object Gateways(ReceiverServices services) =>
        services.Store.Read(db => db.Query(
            "SELECT gw, high_water, will_seq, state, first_seen, last_seen FROM gateways ORDER BY gw",
            r => new
            {
                gateway = r.GetString(0),
                highWater = r.GetInt64(1),
                announcedWill = r.IsDBNull(2) ? (long?)null : r.GetInt64(2),
                state = r.NullableString(3),
                firstSeen = r.GetString(4),
                lastSeen = r.GetString(5),
                readyForCommands = services.Link.IsReady(r.GetString(0)),
            }));

    // Totals since the database was created (the metrics count since the last start).
    private static object StoreTotals(PacketStore store) =>
        store.Read(db => db.Query(
            "SELECT (SELECT COUNT(*) FROM packets), (SELECT COUNT(*) FROM readings), (SELECT COUNT(*) FROM quarantine), (SELECT COUNT(*) FROM dead_letters)",
            r => new { packets = r.GetInt64(0), readings = r.GetInt64(1), quarantined = r.GetInt64(2), deadLetters = r.GetInt64(3) })).Single();

    /// <summary>Who sent what into quarantine since a UTC day: every message counted, busiest first, with how many were kept whole.</summary>
    private static object QuarantineSummary(PacketStore store, DateTime sinceUtc) =>
        store.Read(db => db.Query(
            """
            SELECT gw, error, SUM(total), SUM(kept), MAX(last_at) FROM quarantine_counts WHERE day >= @since
            GROUP BY gw, error ORDER BY SUM(total) DESC, gw, error LIMIT 1000
            """,
            r => new { gateway = r.GetString(0), error = r.GetString(1), total = r.GetInt64(2), kept = r.GetInt64(3), lastAt = r.GetString(4) },
            ("@since", sinceUtc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));

    private static object Quarantine(PacketStore store, int limit) =>
        store.Read(db => db.Query(
            "SELECT id, received_at, client, topic, gw, seq, error, reason, size, packet, resolved_at, resolution FROM quarantine ORDER BY id DESC LIMIT @limit",
            r => new
            {
                id = r.GetInt64(0),
                receivedAt = r.GetString(1),
                client = r.NullableString(2),
                topic = r.GetString(3),
                gateway = r.NullableString(4),
                seq = r.IsDBNull(5) ? (long?)null : r.GetInt64(5),
                error = r.GetString(6),
                reason = r.GetString(7),
                size = r.GetInt32(8),
                packetBase64 = Convert.ToBase64String((byte[])r.GetValue(9)),
                resolvedAt = r.NullableString(10),
                resolution = r.NullableString(11),
            },
            ("@limit", limit)));

    // Verifies a quarantined message again, e.g. after the missing key was registered.
    private static async Task<IResult> RetryAsync(ReceiverServices services, long id, string actor)
    {
        var row = services.Store.Read(db => db.Query(
            "SELECT topic, size, packet, resolved_at FROM quarantine WHERE id = @id",
            r => (Topic: r.GetString(0), Size: r.GetInt32(1), Packet: (byte[])r.GetValue(2), Resolved: r.NullableString(3)),
            ("@id", id))).FirstOrDefault();
        if (row.Topic is null)
        {
            return Results.Json(new { error = $"no quarantine entry {id}" }, statusCode: StatusCodes.Status404NotFound);
        }

        if (row.Resolved is not null || row.Size != row.Packet.Length)
        {
            var why = row.Resolved is not null ? "already resolved" : "only the start of this oversized message was kept";
            return Results.Json(new { error = why }, statusCode: StatusCodes.Status409Conflict);
        }

        var result = await services.Pipeline.IngestAsync($"retry:{actor}", row.Topic, row.Packet);
        if (result.Disposition != IngestDisposition.Quarantined)
        {
            var resolution = $"{result.Disposition} on retry by {actor}";
            await services.Store.WriteAsync(db => db.Execute(
                "UPDATE quarantine SET resolved_at = @at, resolution = @resolution WHERE id = @id",
                ("@at", Sql.Time(services.Time.GetUtcNow().UtcDateTime)), ("@resolution", resolution), ("@id", id)));
        }

        services.Audit.Append(actor, "quarantine.retry", id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Disposition.ToString().ToLowerInvariant(), result.Reason);
        return Results.Json(new { id, disposition = result.Disposition.ToString(), error = result.Error, reason = result.Reason });
    }
}
