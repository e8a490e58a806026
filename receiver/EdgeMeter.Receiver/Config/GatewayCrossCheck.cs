using EdgeMeter.Core.Config;

namespace EdgeMeter.Receiver.Config;

/// <summary>
/// `check-config --gateway-config FILE...`: the data items' terms against the gateways' own configurations, so a
/// formula that names a meter or point no gateway reads is found before go-live, not as an item without values.
/// The gateway configuration is where points live (with their ratio); the receiver's items only name them.
/// </summary>
public static class GatewayCrossCheck
{
    /// <summary>What was found: problems (each naming the setting), and notes on what was not checked or not mapped.</summary>
    public sealed record Result(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes);

    public static Result Check(ReceiverOptions options, IReadOnlyList<(string Path, GatewayConfig Config)> gateways)
    {
        var problems = new List<string>();
        var notes = new List<string>();
        var byId = new Dictionary<string, GatewayConfig>(StringComparer.Ordinal);
        foreach (var (path, config) in gateways)
        {
            if (!options.Gateways.Any(g => g.Id == config.GatewayId))
            {
                problems.Add($"{path}: gateway {config.GatewayId} is not one of Gateways[].Id");
            }

            if (!byId.TryAdd(config.GatewayId, config))
            {
                problems.Add($"{path}: gateway {config.GatewayId} is given twice");
            }
        }

        var read = new HashSet<(string, string, string)>();
        for (var i = 0; i < options.Items.Count; i++)
        {
            var item = options.Items[i];
            for (var j = 0; j < item.Terms.Count; j++)
            {
                var term = item.Terms[j];
                var at = $"Items[{i}].Terms[{j}]";
                if (!byId.TryGetValue(term.Gateway, out var config))
                {
                    notes.Add($"{at}: not checked, no --gateway-config for {term.Gateway}");
                    continue;
                }

                CheckPoint(config, term.Meter, term.Point, at, item.Unit, problems);
                read.Add((term.Gateway, term.Meter, term.Point));
                if (term.PowerPoint is { Length: > 0 } power)
                {
                    CheckPoint(config, term.Meter, power, $"{at}.PowerPoint", unit: null, problems);
                    read.Add((term.Gateway, term.Meter, power));
                }
            }
        }

        foreach (var config in byId.Values)
        {
            foreach (var meter in config.Meters)
            {
                notes.AddRange(meter.Points.Where(p => !read.Contains((config.GatewayId, meter.Id, p.Id)))
                    .Select(p => $"{config.GatewayId}/{meter.Id}/{p.Id}: read by the gateway, in no data item (stored and relayed over MQTT only)"));
            }
        }

        return new Result(problems, notes);
    }

    private static void CheckPoint(GatewayConfig config, string meterId, string pointId, string at, string? unit, List<string> problems)
    {
        var meter = config.Meters.FirstOrDefault(m => m.Id == meterId);
        if (meter is null)
        {
            problems.Add($"{at}: gateway {config.GatewayId} has no meter '{meterId}' (its meters: {string.Join(", ", config.Meters.Select(m => m.Id))})");
            return;
        }

        var point = meter.Points.FirstOrDefault(p => p.Id == pointId);
        if (point is null)
        {
            problems.Add($"{at}: meter {config.GatewayId}/{meterId} has no point '{pointId}' (its points: {string.Join(", ", meter.Points.Select(p => p.Id))})");
        }
        else if (unit is not null && point.Unit.Length > 0 && point.Unit != unit)
        {
            problems.Add($"{at}: {config.GatewayId}/{meterId}/{pointId} reads {point.Unit}, the item is in {unit}");
        }
    }
}
