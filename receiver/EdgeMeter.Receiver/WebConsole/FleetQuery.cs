using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>Every gateway with its latest signed status, those needing attention first.</summary>
internal static class FleetQuery
{
    public static IReadOnlyList<FleetRow> Rows(SqliteConnection db) =>
        db.Query("SELECT gw, state, last_seen FROM gateways", r => (Gateway: r.GetString(0), State: r.NullableString(1), LastSeen: r.GetString(2)))
            .Select(g => ConsolePages.Row(g.Gateway, g.State, g.LastSeen, GatewayCommissioning.LatestStatus(db, g.Gateway)))
            .OrderByDescending(row => row.NeedsAttention)
            .ThenBy(row => row.Gateway, StringComparer.Ordinal)
            .ToList();
}
