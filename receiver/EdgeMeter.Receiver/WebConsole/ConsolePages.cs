using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>The console's HTML: plain server-rendered pages that work on a phone and need nothing from the Internet.</summary>
internal static class ConsolePages
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public static string SignIn(string language, string csrf, bool failed, string? problem = null) => Page(language, ConsoleText.Of("signIn", language), null, $"""
        <form method="post" action="/console/login" class="card">
          <input type="hidden" name="csrf" value="{E(csrf)}">
          <label>{T("user", language)} <input name="user" id="user" autocomplete="username" required></label>
          <label>{T("password", language)} <input name="password" id="password" type="password" autocomplete="current-password" required></label>
          {(failed ? $"<p class=\"error\" id=\"error\">{E(problem ?? ConsoleText.Of("badLogin", language))}</p>" : "")}
          <button type="submit" id="sign-in">{T("signIn", language)}</button>
        </form>
        """);

    public static string Fleet(string language, ConsoleSession session, IReadOnlyList<FleetRow> rows)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h2>{T("fleet", language)}</h2><p class=\"hint\">{T("attention", language)}</p>");
        if (rows.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{T("none", language)}</p>");
        }
        else
        {
            body.Append("<div class=\"scroll\"><table id=\"fleet\"><thead><tr>");
            foreach (var key in new[] { "gateway", "state", "lastSeen", "firmware", "clock", "queued", "dropped", "reconnects", "meters", "message" })
            {
                body.Append(CultureInfo.InvariantCulture, $"<th>{T(key, language)}</th>");
            }

            body.Append("</tr></thead><tbody>");
            foreach (var row in rows)
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr class="{(row.NeedsAttention ? "attention" : "")}" data-gateway="{E(row.Gateway)}">
                    <td><a href="/console/gateway?gw={Uri.EscapeDataString(row.Gateway)}">{E(row.Gateway)}</a></td><td>{T(row.State switch { "online" => "online", "offline" => "offline", _ => "unknown" }, language)}</td>
                    <td>{E(row.LastSeenUtc is { } seen ? (seen + BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "")}</td>
                    <td>{E(row.Firmware)}</td><td>{(row.Synced is null ? "" : T(row.Synced.Value ? "synced" : "unsynced", language))}</td>
                    <td>{row.Queued}</td><td class="{(row.Dropped > 0 ? "bad" : "")}">{row.Dropped}</td><td>{row.Reconnects}</td>
                    <td>{(row.Meters == 0 ? "" : $"{row.Meters - row.MetersOffline} / {row.Meters}")}</td><td>{E(row.Message)}</td></tr>
                    """);
            }

            body.Append("</tbody></table></div>");
        }

        return Page(language, T("fleet", language), session, body.ToString());
    }

    /// <summary>The commands an operator may send from the console; set-config and firmware-update need files (CLI, admin API).</summary>
    public static readonly string[] ConsoleCommands = ["read-now", "sync-time", "reboot"];

    /// <summary>One gateway: its latest signed status with every meter's state and error counters, its buses and its commands.</summary>
    public static string Gateway(string language, ConsoleSession session, string gateway, JsonNode? status, IReadOnlyList<Commands.CommandRecord> commands, long? queued)
    {
        var body = new StringBuilder($"<h2>{T("gateway", language)} {E(gateway)}</h2>");
        if (queued is { } id)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"queued\">{E(string.Format(CultureInfo.InvariantCulture, ConsoleText.Of("commandQueued", language), id))}</p>");
        }

        if (status is null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{T("noStatus", language)}</p>");
        }
        else
        {
            string Text(JsonNode? node, string name) => node?[name] is JsonValue value ? value.ToString() : "";
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"status-line\">{T("firmware", language)} {E(Text(status, "fw"))} · {T("uptime", language)} {E(Text(status, "uptime"))} s · {T("memory", language)} {E(Text(status, "mem"))} B · {T("statusAt", language)} {E(Beijing(Text(status, "receivedAt")))}</p>");
            var meters = (status["meters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            body.Append(CultureInfo.InvariantCulture, $"<h3>{T("meterList", language)}</h3>");
            body.Append(Table("meters", language, ["meter", "state", "requests", "timeouts", "errors", "latency", "drift"], meters.Select(m => new[]
            {
                E(Text(m, "id")), T(m["online"] is JsonValue online && online.GetValue<bool>() ? "online" : "offline", language),
                E(Text(m, "req")), Bad(Text(m, "to")), Bad(Text(m, "err")), E(Text(m, "ms")), E(Text(m, "drift")),
            })));
            body.Append(CultureInfo.InvariantCulture, $"<h3>{T("buses", language)}</h3>");
            body.Append(Table("buses", language, ["bus", "requests", "timeouts", "errors"], (status["buses"] as JsonArray ?? []).OfType<JsonObject>().Select(b => new[]
            {
                E(Text(b, "id")), E(Text(b, "req")), Bad(Text(b, "to")), Bad(Text(b, "err")),
            })));
        }

        body.Append(CultureInfo.InvariantCulture, $"<h3>{T("commands", language)}</h3>");
        if (session.Role == ConsoleRole.Operator)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<form method=\"post\" action=\"/console/commands\"><input type=\"hidden\" name=\"csrf\" value=\"{E(session.Csrf)}\"><input type=\"hidden\" name=\"gateway\" value=\"{E(gateway)}\">" +
                $"<label>{T("command", language)} <select name=\"name\" id=\"command-name\">");
            foreach (var name in ConsoleCommands)
            {
                body.Append(CultureInfo.InvariantCulture, $"<option value=\"{name}\">{T("cmd-" + name, language)}</option>");
            }

            body.Append(CultureInfo.InvariantCulture, $"</select></label> <button type=\"submit\" id=\"send-command\">{T("send", language)}</button></form>");
        }

        body.Append(commands.Count == 0 ? $"<p>{T("noCommands", language)}</p>" : Table("command-list", language, ["id", "command", "state", "result", "requestedBy", "created"], commands.Select(c => new[]
        {
            c.Id.ToString(CultureInfo.InvariantCulture), E(c.Name), E(c.State), E($"{c.Result} {c.Message}".Trim()), E(c.RequestedBy),
            (c.CreatedUtc + BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        })));
        return Page(language, $"{T("gateway", language)} {gateway}", session, body.ToString());
    }

    /// <summary>A counter, marked when above zero.</summary>
    private static string Bad(string count) => count is "" or "0" ? E(count) : $"<span class=\"bad\">{E(count)}</span>";

    public static string Platforms(string language, ConsoleSession session, IReadOnlyList<TierRow> tiers, IReadOnlyList<Relay.DeadLetterView> deadLetters, int? resent = null)
    {
        var body = new StringBuilder($"<h2>{T("platforms", language)}</h2>");
        if (resent is { } count)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"resent\">{E(string.Format(CultureInfo.InvariantCulture, ConsoleText.Of("resent", language), count))}</p>");
        }

        body.Append(Table("tiers", language, ["tier", "gateways", "lag", "lagTime", "lastSuccess", "retries", "failing", "lastError"],
            tiers.Select(t => new[]
            {
                E(t.Name), t.Gateways.ToString(CultureInfo.InvariantCulture), t.Lag.ToString(CultureInfo.InvariantCulture),
                t.OldestWaiting is { } waited ? Duration(waited, language) : "",
                t.LastSuccessUtc is { } success ? (success + BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "",
                t.Retries.ToString(CultureInfo.InvariantCulture), t.Failing.ToString(CultureInfo.InvariantCulture), E(t.LastError),
            })));
        body.Append(CultureInfo.InvariantCulture, $"<h2>{T("deadLetters", language)}</h2>");
        body.Append(deadLetters.Count == 0
            ? $"<p id=\"no-dead-letters\">{T("noDeadLetters", language)}</p>"
            : Table("dead-letters", language, ["tier", "what", "reason", "received"],
                deadLetters.Select(d => new[] { E(d.Tier), E(d.What), E($"{d.Code} {d.Reason}"), E(Beijing(d.CreatedAt)) })));
        if (deadLetters.Count > 0 && session.Role == ConsoleRole.Operator)
        {
            foreach (var tier in deadLetters.Select(d => d.Tier).Distinct(StringComparer.Ordinal))
            {
                body.Append(CultureInfo.InvariantCulture,
                    $"<form method=\"post\" action=\"/console/dead-letters/resend\"><input type=\"hidden\" name=\"csrf\" value=\"{E(session.Csrf)}\"><input type=\"hidden\" name=\"tier\" value=\"{E(tier)}\">" +
                    $"<button type=\"submit\" id=\"resend-{E(tier)}\">{E(string.Format(CultureInfo.InvariantCulture, ConsoleText.Of("resend", language), tier))}</button></form>");
            }
        }

        return Page(language, T("platforms", language), session, body.ToString());
    }

    public static string Messages(string language, ConsoleSession session, IReadOnlyList<MessageRow> messages)
    {
        var body = new StringBuilder($"<h2>{T("messages", language)}</h2>");
        body.Append(messages.Count == 0
            ? $"<p id=\"no-messages\">{T("noMessages", language)}</p>"
            : Table("messages", language, ["received", "tier", "account", "text", "forwarded"],
                messages.Select(m => new[] { E(Beijing(m.ReceivedAt)), E(m.Platform), E(m.Account), E(m.Text), E(m.Forwarded) })));
        return Page(language, T("messages", language), session, body.ToString());
    }

    public static string Energy(string language, ConsoleSession session, IReadOnlyList<Indicators.DataItem> items, EnergyView? view)
    {
        var body = new StringBuilder($"<h2>{T("energy", language)}</h2>");
        if (items.Count == 0 || view is null)
        {
            return Page(language, T("energy", language), session, body.Append(CultureInfo.InvariantCulture, $"<p id=\"no-items\">{T("noItems", language)}</p>").ToString());
        }

        body.Append("<form method=\"get\" action=\"/console/energy\" class=\"filters\">");
        body.Append(CultureInfo.InvariantCulture, $"<label>{T("item", language)} <select name=\"item\" id=\"item\">");
        foreach (var item in items)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(item.Key)}\"{(item.Key == view.Item.Key ? " selected" : "")}>{E(item.Name.Length > 0 ? item.Name : item.DataCode)} ({E(item.DataCode)})</option>");
        }

        body.Append(CultureInfo.InvariantCulture, $"</select></label> <label>{T("day", language)} <input type=\"date\" name=\"day\" id=\"day\" value=\"{view.Day:yyyy-MM-dd}\"></label> <button type=\"submit\" id=\"show\">{T("show", language)}</button></form>");
        var monthStart = new DateOnly(view.Day.Year, view.Day.Month, 1);
        body.Append(CultureInfo.InvariantCulture,
            $"<p>{ExportLinks(language, "export-indicators", "exportIndicators", $"what=indicators&amp;item={Uri.EscapeDataString(view.Item.Key)}&amp;from={monthStart:yyyy-MM-dd}&amp;to={monthStart.AddMonths(1).AddDays(-1):yyyy-MM-dd}")} · " +
            $"{ExportLinks(language, "export-readings", "exportReadings", $"what=readings&amp;from={view.Day:yyyy-MM-dd}&amp;to={view.Day:yyyy-MM-dd}")}</p>");
        Section(body, language, "dayCurve", "day-curve", view, view.Intervals);
        Section(body, language, "daily", "month-days", view, view.Days);
        Section(body, language, "monthly", "year-months", view, view.Months);
        return Page(language, T("energy", language), session, body.ToString());
    }

    private static void Section(StringBuilder body, string language, string title, string id, EnergyView view, IReadOnlyList<(string Label, string? Value)> points)
    {
        var total = points.Aggregate(0m, (sum, p) => sum + (decimal.TryParse(p.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m));
        var coal = total * view.ConvertRation;
        body.Append(CultureInfo.InvariantCulture, $"<h3>{T(title, language)}</h3>").Append(ConsoleChart.Bars(id, view.Item.Unit, points));
        if (view.Item.Kind == Indicators.ItemKind.Consumption)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\" id=\"{id}-total\">{T("total", language)}: {total.ToString(CultureInfo.InvariantCulture)} {E(view.Item.Unit)}; {T("coal", language)}: {coal.ToString(CultureInfo.InvariantCulture)}</p>");
        }
    }

    public static string Quality(string language, ConsoleSession session, QualityView view)
    {
        var body = new StringBuilder($"<h2>{T("quality", language)}</h2>");
        body.Append(CultureInfo.InvariantCulture,
            $"<form method=\"get\" action=\"/console/quality\" class=\"filters\"><label>{T("month", language)} <input type=\"month\" name=\"month\" id=\"month\" value=\"{view.Month:yyyy-MM}\"></label> <button type=\"submit\">{T("show", language)}</button></form>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\">{E(string.Format(CultureInfo.InvariantCulture, ConsoleText.Of("completenessHint", language), view.TargetPercent))}</p>");
        var below = view.Rows.Where(r => r.Percents.Any(p => p < view.TargetPercent)).Select(r => r.Item.Name.Length > 0 ? r.Item.Name : r.Item.DataCode).ToList();
        body.Append(CultureInfo.InvariantCulture, $"<p id=\"below\">{T("below", language)}: {(below.Count == 0 ? "—" : E(string.Join(", ", below)))}</p>");
        body.Append("<div class=\"scroll\"><table id=\"calendar\"><thead><tr>").Append(CultureInfo.InvariantCulture, $"<th>{T("item", language)}</th>");
        for (var day = 1; day <= (view.Rows.FirstOrDefault()?.Percents.Count ?? 0); day++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<th>{day}</th>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<th>{T("flags", language)}</th></tr></thead><tbody>");
        foreach (var row in view.Rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr data-item=\"{E(row.Item.Key)}\"><td>{E(row.Item.Name.Length > 0 ? row.Item.Name : row.Item.DataCode)}</td>");
            foreach (var percent in row.Percents)
            {
                body.Append(CultureInfo.InvariantCulture, $"<td class=\"{(percent >= view.TargetPercent ? "ok" : "bad")}\">{percent:0.#}</td>");
            }

            body.Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(", ", row.Flags.Select(f => $"{f.Key} {f.Value}")))}</td></tr>");
        }

        return Page(language, T("quality", language), session, body.Append("</tbody></table></div>").ToString());
    }

    public static string Readings(string language, ConsoleSession session, IReadOnlyList<Indicators.SeriesKey> points, Indicators.SeriesKey chosen, DateOnly day, IReadOnlyList<ReadingRow> rows)
    {
        var body = new StringBuilder($"<h2>{T("readings", language)}</h2>");
        if (points.Count == 0)
        {
            return Page(language, T("readings", language), session, body.Append(CultureInfo.InvariantCulture, $"<p id=\"no-points\">{T("noPoints", language)}</p>").ToString());
        }

        body.Append(CultureInfo.InvariantCulture, $"<form method=\"get\" action=\"/console/readings\" class=\"filters\"><label>{T("point", language)} <select name=\"series\" id=\"series\">");
        foreach (var point in points)
        {
            body.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(point.ToString())}\"{(point == chosen ? " selected" : "")}>{E(point.ToString())}</option>");
        }

        body.Append(CultureInfo.InvariantCulture, $"</select></label> <label>{T("day", language)} <input type=\"date\" name=\"day\" id=\"day\" value=\"{day:yyyy-MM-dd}\"></label> <button type=\"submit\" id=\"show\">{T("show", language)}</button></form>");
        body.Append(CultureInfo.InvariantCulture,
            $"<p>{ExportLinks(language, "export-point", "exportReadings", $"what=readings&amp;gateway={Uri.EscapeDataString(chosen.Gateway)}&amp;meter={Uri.EscapeDataString(chosen.Meter)}&amp;from={day:yyyy-MM-dd}&amp;to={day:yyyy-MM-dd}")}</p>");
        if (rows.Count == 0)
        {
            return Page(language, T("readings", language), session, body.Append(CultureInfo.InvariantCulture, $"<p id=\"no-readings\">{T("noReadings", language)}</p>").ToString());
        }

        body.Append(ConsoleChart.Bars("readings-chart", rows[0].Unit, [.. rows.Select(r => (Beijing(r.TimeUtc)[11..16], (string?)r.Value))]));
        body.Append(Table("readings", language, ["time", "value", "flags"],
            rows.Select(r => new[] { E(Beijing(r.TimeUtc)), E($"{r.Value} {r.Unit}"), E(string.Join(' ', Enumerable.Range(0, 5).Where(bit => (r.Flags & (1 << bit)) != 0).Select(Core.Packet.PacketNames.Flag))) })));
        return Page(language, T("readings", language), session, body.ToString());
    }

    public static string Message(string language, string text) => Page(language, T("title", language), null, $"<p class=\"error\">{E(text)}</p>");

    /// <summary>One gateway's row, from its registry entry and the latest status it signed.</summary>
    public static FleetRow Row(string gateway, string? state, string lastSeen, JsonNode? status)
    {
        var meters = status?["meters"] as JsonArray ?? [];
        long Number(string name) => status?[name] is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0;
        var row = new FleetRow(
            gateway, state, DateTime.TryParse(lastSeen, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var seen) ? seen : null,
            (string?)status?["fw"] ?? "", status?["synced"] is JsonValue synced ? synced.GetValue<bool>() : null,
            Number("queued"), Number("dropped"), Number("reconnects"), meters.Count,
            meters.Count(m => m?["online"] is JsonValue online && !online.GetValue<bool>()), (string?)status?["msg"] ?? "");
        return row;
    }

    private static string Page(string language, string title, ConsoleSession? session, string body)
    {
        var fleet = session is null ? "" :
            $"<a id=\"nav-fleet\" href=\"/console/fleet\">{T("fleet", language)}</a><a id=\"nav-platforms\" href=\"/console/platforms\">{T("platforms", language)}</a>" +
            $"<a id=\"nav-energy\" href=\"/console/energy\">{T("energy", language)}</a><a id=\"nav-readings\" href=\"/console/readings\">{T("readings", language)}</a><a id=\"nav-quality\" href=\"/console/quality\">{T("quality", language)}</a><a id=\"nav-messages\" href=\"/console/messages\">{T("messages", language)}</a>";
        var switchTo = language == "zh" ? "en" : "zh";
        var switchText = language == "zh" ? "English" : "中文";
        var account = session is null ? "" :
            $"<span>{T("signedInAs", language)} {E(session.User)}</span><form method=\"post\" action=\"/console/logout\">" +
            $"<input type=\"hidden\" name=\"csrf\" value=\"{E(session.Csrf)}\"><button id=\"sign-out\" type=\"submit\">{T("signOut", language)}</button></form>";
        return $$"""
            <!DOCTYPE html>
            <html lang="{{(language == "zh" ? "zh-CN" : "en")}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · {{T("title", language)}}</title>
            <style>
            body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
            header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;background:#17324d;color:#fff;padding:.6em 1em}
            header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer;text-decoration:underline}
            main{padding:1em} .card{display:grid;gap:.8em;max-width:22em;background:#fff;padding:1.2em;border-radius:6px}
            table{border-collapse:collapse;background:#fff;min-width:100%} th,td{padding:.4em .6em;border-bottom:1px solid #dde;text-align:left;white-space:nowrap}
            .scroll{overflow-x:auto} tr.attention td:first-child{border-left:4px solid #c0392b} .bad{color:#c0392b;font-weight:bold}
            .error{color:#c0392b} .hint{color:#5a6473} .chart{width:100%;max-width:720px;height:auto;background:#fff} td.ok{background:#e3f4e8} td.bad{background:#fbe3e1} .filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:end}
            </style></head>
            <body><header><strong>{{T("title", language)}}</strong>{{fleet}}
            <a id="lang" href="?lang={{switchTo}}">{{switchText}}</a>{{account}}
            </header><main>{{body}}</main></body></html>
            """;
    }

    private static string Table(string id, string language, string[] headings, IEnumerable<string[]> rows)
    {
        var html = new StringBuilder($"<div class=\"scroll\"><table id=\"{id}\"><thead><tr>");
        foreach (var heading in headings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{T(heading, language)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td>{cell}</td>")).Append("</tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }

    /// <summary>A stored UTC time ("...Z") as Beijing wall-clock time.</summary>
    private static string Beijing(string utc) =>
        DateTime.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            ? (time + BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : utc;

    private static string T(string key, string language) => WebUtility.HtmlEncode(ConsoleText.Of(key, language));

    /// <summary>A wait in whole units a person reads at a glance: 40 s, 12 min, 3 h 5 min, 2 d 4 h.</summary>
    internal static string Duration(TimeSpan wait, string language)
    {
        var zh = language == "zh";
        return wait.TotalMinutes < 1 ? $"{Math.Max(0, (int)wait.TotalSeconds)}{(zh ? " 秒" : " s")}"
            : wait.TotalHours < 1 ? $"{(int)wait.TotalMinutes}{(zh ? " 分钟" : " min")}"
            : wait.TotalDays < 1 ? $"{(int)wait.TotalHours}{(zh ? " 小时 " : " h ")}{wait.Minutes}{(zh ? " 分钟" : " min")}"
            : $"{(int)wait.TotalDays}{(zh ? " 天 " : " d ")}{wait.Hours}{(zh ? " 小时" : " h")}";
    }

    /// <summary>"What: CSV · Excel", links to the export in each format (ids: ID and ID-xlsx).</summary>
    private static string ExportLinks(string language, string id, string label, string query) =>
        $"{T(label, language)}: <a id=\"{id}\" href=\"/console/export?{query}\">CSV</a> · <a id=\"{id}-xlsx\" href=\"/console/export?{query}&amp;format=xlsx\">Excel</a>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>One item's values for the energy page: the day's intervals, the month's days, the year's months.</summary>
internal sealed record EnergyView(
    Indicators.DataItem Item, DateOnly Day, decimal ConvertRation,
    IReadOnlyList<(string Label, string? Value)> Intervals, IReadOnlyList<(string Label, string? Value)> Days, IReadOnlyList<(string Label, string? Value)> Months);

/// <summary>A month of data quality: each item's completeness per Beijing day and the flags its intervals raised.</summary>
internal sealed record QualityView(DateOnly Month, int TargetPercent, IReadOnlyList<QualityRow> Rows);

internal sealed record QualityRow(Indicators.DataItem Item, IReadOnlyList<double> Percents, IReadOnlyDictionary<string, int> Flags);

/// <summary>One stored reading of a meter point.</summary>
internal sealed record ReadingRow(long N, string TimeUtc, string Value, string Unit, int Flags);

/// <summary>A platform tier as the platforms page shows it.</summary>
/// <summary>A tier's backlog: rows waiting, and how long the oldest of them has waited (null: none waits).</summary>
internal sealed record TierRow(string Name, int Gateways, long Lag, TimeSpan? OldestWaiting, int Failing, string LastError, DateTime? LastSuccessUtc = null, long Retries = 0);

/// <summary>A message a platform pushed.</summary>
internal sealed record MessageRow(string ReceivedAt, string Platform, string Account, string Text, string Forwarded);

/// <summary>A gateway as the fleet page shows it; <see cref="NeedsAttention"/> puts it first.</summary>
internal sealed record FleetRow(
    string Gateway, string? State, DateTime? LastSeenUtc, string Firmware, bool? Synced, long Queued, long Dropped, long Reconnects, int Meters, int MetersOffline, string Message)
{
    public bool NeedsAttention => State != "online" || Dropped > 0 || Synced == false || MetersOffline > 0;
}
