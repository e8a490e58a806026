using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>What the console's pages read from the store.</summary>
internal static class ConsoleQueries
{
    /// <summary>Every gateway with its latest signed status, those needing attention first.</summary>
    public static IReadOnlyList<FleetRow> Rows(SqliteConnection db) =>
        db.Query("SELECT gw, state, last_seen FROM gateways", r => (Gateway: r.GetString(0), State: r.NullableString(1), LastSeen: r.GetString(2)))
            .Select(g => ConsolePages.Row(g.Gateway, g.State, g.LastSeen, GatewayCommissioning.LatestStatus(db, g.Gateway)))
            .OrderByDescending(row => row.NeedsAttention)
            .ThenBy(row => row.Gateway, StringComparer.Ordinal)
            .ToList();

    /// <summary>The newest 100 messages platforms pushed, with where each was forwarded.</summary>
    public static IReadOnlyList<MessageRow> Messages(SqliteConnection db) =>
        db.Query(
            "SELECT received_at, platform, account, text, forwarded FROM platform_messages ORDER BY id DESC LIMIT 100",
            r => new MessageRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                string.Join("; ", (System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4)) ?? []).Select(pair => $"{pair.Key}: {pair.Value}"))));
}
