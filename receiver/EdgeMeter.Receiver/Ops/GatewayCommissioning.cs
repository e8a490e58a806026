using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// What a technician on site needs to see of one gateway, from the enterprise side (the board has no console):
/// its replay and connection state, its latest signed status (firmware, clock, queue, dropped readings, each
/// meter's and bus's health, the platform's message) and the last value of each point it reads, with units, as
/// stored (CT/VT ratios already applied by the gateway). GET /admin/gateways/{gw} and `gateways show`.
/// </summary>
public static class GatewayCommissioning
{
    // Enough of the newest readings to find every point's last value without reading months of history.
    private const int RecentReadings = 5000;

    public static JsonObject? Show(DbConnection db, string gateway, bool readyForCommands)
    {
        var row = db.Query(
            "SELECT high_water, state, first_seen, last_seen FROM gateways WHERE gw = @gw",
            r => new JsonObject
            {
                ["gateway"] = gateway,
                ["highWater"] = r.GetInt64(0),
                ["state"] = r.NullableString(1),
                ["firstSeen"] = r.GetString(2),
                ["lastSeen"] = r.GetString(3),
                ["readyForCommands"] = readyForCommands,
            },
            ("@gw", gateway)).FirstOrDefault();
        if (row is null)
        {
            return null;
        }

        row["status"] = LatestStatus(db, gateway);
        row["points"] = LastValues(db, gateway);
        return row;
    }

    // The newest status packet's payload, as the gateway signed it (verified when it arrived).
    internal static JsonNode? LatestStatus(DbConnection db, string gateway)
    {
        var packet = db.Query(
            "SELECT packet, received_at FROM packets WHERE gw = @gw AND kind = 'status' ORDER BY id DESC LIMIT 1",
            r => (Jws: r.GetString(0), Received: r.GetString(1)), ("@gw", gateway)).FirstOrDefault();
        if (packet.Jws is null)
        {
            return null;
        }

        var parts = packet.Jws.Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1])))!.AsObject();
        payload["receivedAt"] = packet.Received;
        return payload;
    }

    private static JsonArray LastValues(DbConnection db, string gateway) =>
        [.. db.Query(
            """
            SELECT r.meter, r.point, r.val, r.unit, r.t, r.flags, r.n FROM readings r JOIN (
                SELECT meter, point, MAX(n) AS n FROM readings
                WHERE gw = @gw AND n > (SELECT COALESCE(MAX(n), 0) FROM readings WHERE gw = @gw) - @recent
                GROUP BY meter, point) latest ON r.gw = @gw AND r.n = latest.n
            ORDER BY r.meter, r.point
            """,
            r => (JsonNode)new JsonObject
            {
                ["meter"] = r.GetString(0), ["point"] = r.GetString(1), ["value"] = r.GetString(2), ["unit"] = r.GetString(3),
                ["t"] = r.GetString(4), ["flags"] = r.GetInt32(5), ["n"] = r.GetInt64(6),
            },
            ("@gw", gateway), ("@recent", RecentReadings))];
}
