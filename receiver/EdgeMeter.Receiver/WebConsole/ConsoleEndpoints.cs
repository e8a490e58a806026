using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>
/// /console on the admin address: sign-in with the accounts of Console.UsersFile, then the pages. Every form that
/// changes something carries the session's CSRF token (the sign-in form a cookie's, double-submitted); sign-ins,
/// refused ones included, and sign-outs are in the audit log.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string SessionCookie = "em_session";
    private const string LoginCsrfCookie = "em_login_csrf";
    private const string LanguageCookie = "em_lang";

    /// <summary>How long a command sent from the console may wait for its gateway (the admin API's default).</summary>
    private static readonly TimeSpan CommandTimeToLive = TimeSpan.FromSeconds(AdminEndpoints.DefaultTimeToLiveSeconds);

    public static void Map(WebApplication app, ReceiverServices services, ConsoleUsers users, ConsoleSessions sessions, bool secureCookies)
    {
        var throttle = new SignInThrottle(services.Time);
        app.MapGet("/console", () => Results.Redirect("/console/fleet"));
        app.MapGet("/console/login", (HttpContext http) =>
        {
            var csrf = ConsoleSessions.NewToken();
            http.Response.Cookies.Append(LoginCsrfCookie, csrf, Cookie(http, secureCookies, TimeSpan.FromMinutes(30)));
            return Html(ConsolePages.SignIn(Language(http), csrf, failed: false));
        });
        app.MapPost("/console/login", async (HttpContext http) =>
        {
            var language = Language(http);
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
            if (form is null || http.Request.Cookies[LoginCsrfCookie] is not { } expected || !ConsoleSessions.SameToken(form["csrf"], expected))
            {
                return Html(ConsolePages.Message(language, ConsoleText.Of("badForm", language)), StatusCodes.Status400BadRequest);
            }

            var name = form["user"].ToString();
            var shown = name.Length <= ConsoleUsers.MaxNameLength ? name : name[..ConsoleUsers.MaxNameLength] + "...";
            var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
            if (throttle.RetryAfter(address, shown) is ({ } wait, var first))
            {
                if (first)
                {
                    services.Audit.Append($"console:{shown}", "console.signin", "console", "throttled", $"too many wrong passwords, from {address}; further refusals until then are not logged");
                }

                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Html(ConsolePages.SignIn(language, expected, failed: true, ConsoleText.Of("throttled", language)), StatusCodes.Status429TooManyRequests);
            }

            if (users.Authenticate(name, form["password"].ToString()) is not { } account)
            {
                throttle.Failed(address, shown);
                services.Audit.Append($"console:{shown}", "console.signin", "console", "denied", $"wrong user name or password, from {address}");
                return Html(ConsolePages.SignIn(language, expected, failed: true), StatusCodes.Status401Unauthorized);
            }

            var session = sessions.Start(account);
            http.Response.Cookies.Append(SessionCookie, session.Id, Cookie(http, secureCookies, session.ExpiresAt - DateTimeOffset.UtcNow));
            http.Response.Cookies.Delete(LoginCsrfCookie, Cookie(http, secureCookies, TimeSpan.Zero));
            services.Audit.Append($"console:{name}", "console.signin", "console", "ok", $"role {account.Role.ToString().ToLowerInvariant()}, from {address}");
            return Results.Redirect("/console/fleet");
        });
        app.MapPost("/console/logout", async (HttpContext http) =>
        {
            if (await SignedFormAsync(http, sessions, users) is not (_, { } session))
            {
                return BadForm(http);
            }

            sessions.End(session.Id);
            http.Response.Cookies.Delete(SessionCookie, Cookie(http, secureCookies, TimeSpan.Zero));
            services.Audit.Append($"console:{session.User}", "console.signout", "console", "ok");
            return Results.Redirect("/console/login");
        });
        app.MapGet("/console/fleet", (HttpContext http) => Session(http, sessions, users) is { } session
            ? Html(ConsolePages.Fleet(Language(http), session, services.Store.Read(ConsoleQueries.Rows)))
            : Results.Redirect("/console/login"));
        app.MapGet("/console/gateway", (HttpContext http, string? gw, long? queued) =>
        {
            if (Session(http, sessions, users) is not { } session)
            {
                return Results.Redirect("/console/login");
            }

            var known = gw is not null && services.Store.Read(db => db.ScalarLong("SELECT COUNT(*) FROM gateways WHERE gw = @gw", ("@gw", gw))) > 0;
            return known
                ? Html(ConsolePages.Gateway(Language(http), session, gw!, services.Store.Read(db => GatewayCommissioning.LatestStatus(db, gw!)), services.Commands.List(gw!, 20), queued))
                : Html(ConsolePages.Message(Language(http), string.Format(System.Globalization.CultureInfo.InvariantCulture, ConsoleText.Of("unknownGateway", Language(http)), gw)), StatusCodes.Status404NotFound);
        });
        app.MapPost("/console/commands", async (HttpContext http) =>
        {
            if (await SignedFormAsync(http, sessions, users) is not ({ } form, { } session))
            {
                return BadForm(http);
            }

            var (actor, gateway, name) = ($"console:{session.User}", form["gateway"].ToString(), form["name"].ToString());
            if (session.Role != ConsoleRole.Operator)
            {
                services.Audit.Append(actor, "command.queue", gateway, "refused", "a viewer may not send commands");
                return Html(ConsolePages.Message(Language(http), ConsoleText.Of("operatorsOnly", Language(http))), StatusCodes.Status403Forbidden);
            }

            try
            {
                if (!ConsolePages.ConsoleCommands.Contains(name))
                {
                    throw new Commands.CommandRequestException($"name: '{name}' is not one of {string.Join(", ", ConsolePages.ConsoleCommands)} (others: CLI or admin API)");
                }

                var command = await services.Commands.QueueAsync(gateway, name, new Dictionary<string, string>(), CommandTimeToLive, actor);
                services.Audit.Append(actor, "command.queue", gateway, "ok", $"command {command.Id} seq {command.Sequence} {command.Name}");
                return Results.Redirect($"/console/gateway?gw={Uri.EscapeDataString(gateway)}&queued={command.Id}");
            }
            catch (Commands.CommandRequestException problem)
            {
                services.Audit.Append(actor, "command.queue", gateway, "refused", problem.Message);
                return Html(ConsolePages.Message(Language(http), problem.Message), problem.UnknownGateway ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
            }
        });
        var httpTiers = services.Tiers.OfType<Relay.HttpTier>().Select(tier => tier.Name).ToHashSet(StringComparer.Ordinal);
        app.MapGet("/console/platforms", (HttpContext http, int? resent) => Session(http, sessions, users) is { } session
            ? Html(ConsolePages.Platforms(Language(http), session, [.. services.Tiers.Select(tier => TierRow(tier, services.Time.GetUtcNow().UtcDateTime))],
                services.Store.Read(db => Relay.DeadLetters.List(db, Relay.DeadLetters.Dead, null, 100, httpTiers)), resent))
            : Results.Redirect("/console/login"));
        var tierNames = services.Tiers.Select(tier => tier.Name).ToList();
        app.MapPost("/console/dead-letters/resend", async (HttpContext http) =>
        {
            if (await SignedFormAsync(http, sessions, users) is not ({ } form, { } session))
            {
                return BadForm(http);
            }

            var actor = $"console:{session.User}";
            if (session.Role != ConsoleRole.Operator)
            {
                services.Audit.Append(actor, "dead-letters.retry", form["tier"].ToString(), "refused", "a viewer may not resend");
                return Html(ConsolePages.Message(Language(http), ConsoleText.Of("operatorsOnly", Language(http))), StatusCodes.Status403Forbidden);
            }

            var selection = new Relay.DeadLetterSelection(null, form["tier"].ToString(), false);
            var (problem, ids) = await DeadLetterActions.ActAsync(services, selection, actor, "dead-letters.retry",
                (db, who, _) => Relay.DeadLetters.MarkForResend(db, selection, tierNames, who));
            return problem is not null
                ? Html(ConsolePages.Message(Language(http), problem), StatusCodes.Status400BadRequest)
                : Results.Redirect($"/console/platforms?resent={ids.Count}");
        });
        app.MapGet("/console/energy", (HttpContext http, string? item, string? day) =>
        {
            if (Session(http, sessions, users) is not { } session)
            {
                return Results.Redirect("/console/login");
            }

            var items = services.Indicators.Items.Items;
            var chosen = (item is null ? null : services.Indicators.Items.Find(item)) ?? items.FirstOrDefault();
            var date = History.ExportRequest.TryDay(day, out var parsed) ? parsed : DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime + Indicators.BeijingCalendar.Offset);
            return Html(ConsolePages.Energy(Language(http), session, items, chosen is null ? null : services.Store.Read(db => ConsoleQueries.Energy(db, chosen, date))));
        });
        app.MapGet("/console/export", (HttpContext http, string? what, string? from, string? to, string? gateway, string? meter, string? item, string? format) =>
        {
            if (Session(http, sessions, users) is null)
            {
                return Results.Redirect("/console/login");
            }

            if (!History.ExportRequest.TryDay(from, out var fromDay) || !History.ExportRequest.TryDay(to, out var toDay))
            {
                return Results.BadRequest("from/to: Beijing days like 2026-05-20");
            }

            format ??= History.ExportFormats.Csv;
            if (!History.ExportFormats.IsKnown(format))
            {
                return Results.BadRequest($"format: '{format}' is not csv or xlsx");
            }

            var itemKey = item is null ? null : (services.Indicators.Items.Find(item) ?? services.Indicators.Items.Find(null, item))?.Key;
            if (item is not null && itemKey is null)
            {
                return Results.BadRequest($"item: no configured item {item}");
            }

            var request = new History.ExportRequest(what ?? History.ExportRequest.Readings, fromDay, toDay, gateway, meter, itemKey);
            if (request.Problem() is { } problem)
            {
                return Results.BadRequest(problem);
            }

            // Written row by row as it is read, on a reader connection of its own: bounded memory, ingest never waits.
            // The xlsx writer's zip archive writes its directory synchronously at the end, which Kestrel takes only when asked.
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            return Results.Stream(async body =>
            {
                using var db = services.Store.OpenReader();
                await using var sheet = History.ExportFormats.Open(format, body);
                await History.HistoryExport.WriteAsync(db, services.Indicators.Items, request, sheet, http.RequestAborted);
            }, History.ExportFormats.ContentType(format), $"edgemeter-{request.What}-{fromDay:yyyyMMdd}-{toDay:yyyyMMdd}.{format}");
        });
        app.MapGet("/console/readings", (HttpContext http, string? series, string? day) =>
        {
            if (Session(http, sessions, users) is not { } session)
            {
                return Results.Redirect("/console/login");
            }

            var points = services.Indicators.Items.Items.SelectMany(i => i.Series).Distinct().OrderBy(p => p.ToString(), StringComparer.Ordinal).ToList();
            var chosen = points.FirstOrDefault(p => p.ToString() == series);
            chosen = chosen == default ? points.FirstOrDefault() : chosen;
            var date = History.ExportRequest.TryDay(day, out var parsed) ? parsed : DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime + Indicators.BeijingCalendar.Offset);
            var rows = points.Count == 0 ? [] : services.Store.Read(db => ConsoleQueries.Readings(db, chosen, date));
            return Html(ConsolePages.Readings(Language(http), session, points, chosen, date, rows));
        });
        app.MapGet("/console/quality", (HttpContext http, string? month) =>
        {
            if (Session(http, sessions, users) is not { } session)
            {
                return Results.Redirect("/console/login");
            }

            var today = DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime + Indicators.BeijingCalendar.Offset);
            var chosen = History.ExportRequest.TryDay(month + "-01", out var parsed) ? parsed : new DateOnly(today.Year, today.Month, 1);
            return Html(ConsolePages.Quality(Language(http), session,
                services.Store.Read(db => ConsoleQueries.Quality(db, services.Indicators.Items, chosen, services.Indicators.Options.CompletenessTargetPercent))));
        });
        app.MapGet("/console/messages", (HttpContext http) => Session(http, sessions, users) is { } session
            ? Html(ConsolePages.Messages(Language(http), session, services.Store.Read(ConsoleQueries.Messages)))
            : Results.Redirect("/console/login"));
    }

    private static TierRow TierRow(Relay.IRelayTier tier, DateTime nowUtc) => new(
        tier.Name, tier.Gateways.Count, tier.Lag(), nowUtc - tier.OldestWaitingUtc(), tier.FailingGateways,
        string.Join("; ", tier.States.Where(pair => pair.Value.LastError is not null).Select(pair => $"{pair.Key}: {pair.Value.LastError}")),
        tier.States.Values.Max(state => state.LastSuccess)?.UtcDateTime, tier.States.Values.Sum(state => state.Retries));

    /// <summary>A POST's form and the session it came from, when it carries that session's CSRF token; null otherwise.</summary>
    private static async Task<(IFormCollection Form, ConsoleSession Session)?> SignedFormAsync(HttpContext http, ConsoleSessions sessions, ConsoleUsers users)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        return form is not null && Session(http, sessions, users) is { } session && ConsoleSessions.SameToken(form["csrf"], session.Csrf) ? (form, session) : null;
    }

    private static IResult BadForm(HttpContext http) => Html(ConsolePages.Message(Language(http), ConsoleText.Of("badForm", Language(http))), StatusCodes.Status400BadRequest);

    /// <summary>The request's live session, ended when its account was removed or changed since the sign-in.</summary>
    private static ConsoleSession? Session(HttpContext http, ConsoleSessions sessions, ConsoleUsers users)
    {
        if (sessions.Find(http.Request.Cookies[SessionCookie]) is not { } session)
        {
            return null;
        }

        if (users.StillValid(session.Account))
        {
            return session;
        }

        sessions.End(session.Id);
        return null;
    }

    /// <summary>The page's language: ?lang= (remembered in a cookie), the cookie, or the browser's.</summary>
    private static string Language(HttpContext http)
    {
        var chosen = http.Request.Query["lang"].ToString();
        if (chosen is "zh" or "en")
        {
            http.Response.Cookies.Append(LanguageCookie, chosen, new CookieOptions { Path = "/console", SameSite = SameSiteMode.Strict, MaxAge = TimeSpan.FromDays(365) });
            return chosen;
        }

        return ConsoleText.LanguageOf(http.Request.Cookies[LanguageCookie], http.Request.Headers.AcceptLanguage);
    }

    /// <summary>Secure over HTTPS, and always with Console.SecureCookies (TLS ended by a proxy in front).</summary>
    private static CookieOptions Cookie(HttpContext http, bool secure, TimeSpan lifetime) => new()
    {
        Path = "/console",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = secure || http.Request.IsHttps,
        MaxAge = lifetime,
    };

    private static IResult Html(string page, int status = StatusCodes.Status200OK) => Results.Content(page, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
