using System.Text.Json;

namespace EdgeMeter.Receiver.Cli;

/// <summary>GET /admin/gateways/{gw} as a technician reads it: one line per fact, problems first in each line.</summary>
internal static class CommissioningReport
{
    public static void Write(JsonElement gateway, TextWriter output)
    {
        output.WriteLine($"gateway {Text(gateway, "gateway")}: {Text(gateway, "state") ?? "no status yet"}, last seen {Text(gateway, "lastSeen")}, " +
            (gateway.GetProperty("readyForCommands").GetBoolean() ? "taking commands" : "not taking commands now"));
        if (gateway.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            WriteStatus(status, output);
        }

        var points = gateway.GetProperty("points");
        output.WriteLine(points.GetArrayLength() == 0 ? "no reading stored yet" : "last values:");
        foreach (var point in points.EnumerateArray())
        {
            var flags = point.GetProperty("flags").GetInt32();
            output.WriteLine($"  {Text(point, "meter")}/{Text(point, "point")} = {Text(point, "value")} {Text(point, "unit")} at {Text(point, "t")}{(flags != 0 ? $" (flags {flags})" : "")}");
        }
    }

    private static void WriteStatus(JsonElement status, TextWriter output)
    {
        var synced = status.TryGetProperty("synced", out var s) && s.ValueKind == JsonValueKind.True;
        output.WriteLine($"firmware {Text(status, "fw")}, up {Number(status, "uptime")} s, clock {(synced ? "synchronized" : "NOT SYNCHRONIZED (readings held back from indicators)")}, " +
            $"queued {Number(status, "queued")}, dropped {Number(status, "dropped")}, broker reconnects {Number(status, "reconnects")} (status of {Text(status, "receivedAt")})");
        output.WriteLine(LedLine(status, synced));
        if (Text(status, "msg") is { Length: > 0 } message)
        {
            output.WriteLine($"platform message shown: {message}");
        }

        foreach (var (list, label) in new[] { ("meters", "meter"), ("buses", "bus") })
        {
            if (!status.TryGetProperty(list, out var items))
            {
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                var online = !item.TryGetProperty("online", out var o) || o.ValueKind == JsonValueKind.True;
                output.WriteLine($"  {label} {Text(item, "id")}: {(online ? "online" : "OFFLINE")}, {Number(item, "req")} requests, {Number(item, "to")} timeouts, {Number(item, "err")} errors" +
                    (item.TryGetProperty("drift", out var drift) ? $", clock drift {drift} s" : ""));
            }
        }
    }

    /// <summary>What the gateway's run LED shows by its own rule, from the facts the status carries (it reached the broker to send it).</summary>
    private static string LedLine(JsonElement status, bool synced)
    {
        var meters = status.TryGetProperty("meters", out var list) ? list.EnumerateArray().ToList() : [];
        var offline = meters.Count(m => m.TryGetProperty("online", out var o) && o.ValueKind == JsonValueKind.False);
        var code = Core.Runtime.CommissioningCode.Of(meters.Count, offline, networkUp: true, brokerConnected: true, synced);
        return code switch
        {
            Core.Runtime.CommissioningCode.Working => "run LED: steady (every commissioning step works)",
            Core.Runtime.CommissioningCode.NoMeterAnswers => "run LED: 1 blink (no meter answers)",
            Core.Runtime.CommissioningCode.SomeMetersSilent => $"run LED: 2 blinks ({offline} of {meters.Count} meters silent)",
            _ => $"run LED: {code} blinks (clock not set)",
        };
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "-";
}
