using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Config;

/// <summary>
/// Where each gateway's data goes, resolved once from validated options: gateway -> enterprise -> platforms (a
/// gateway's own list overrides its enterprise's), and (gateway, meter, point) -> the platform's data item.
/// </summary>
public sealed class Routing
{
    private readonly Dictionary<string, string> _enterpriseOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _platformsOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Gateway, string Meter, string Point), PointMapping> _points = new();

    private Routing()
    {
    }

    public IReadOnlyCollection<string> Gateways => _enterpriseOf.Keys;

    public static Routing From(ReceiverOptions options)
    {
        var routing = new Routing();
        var enterprises = options.Enterprises.ToDictionary(e => e.Code, StringComparer.Ordinal);
        foreach (var gateway in options.Gateways)
        {
            routing._enterpriseOf[gateway.Id] = gateway.Enterprise;
            var platforms = gateway.Platforms
                ?? (enterprises.TryGetValue(gateway.Enterprise, out var enterprise) ? enterprise.Platforms : []);
            routing._platformsOf[gateway.Id] = platforms.Distinct(StringComparer.Ordinal).ToArray();
        }

        foreach (var point in options.Points)
        {
            FixedDecimal.TryParse(point.ConvertRation, out var ration);
            routing._points[(point.Gateway, point.Meter, point.Point)] =
                new PointMapping(point.DataCode, ration, point.Scope, point.InputType, point.StatType);
        }

        return routing;
    }

    public string? EnterpriseOf(string gatewayId) => _enterpriseOf.GetValueOrDefault(gatewayId);

    public IReadOnlyList<string> PlatformsOf(string gatewayId) => _platformsOf.GetValueOrDefault(gatewayId) ?? [];

    /// <summary>The gateways whose data goes to <paramref name="platform"/>, sorted.</summary>
    public IReadOnlyList<string> GatewaysOf(string platform) =>
        _platformsOf.Where(pair => pair.Value.Contains(platform, StringComparer.Ordinal)).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The enterprises whose gateways go to <paramref name="platform"/>.</summary>
    public IReadOnlyList<string> EnterprisesOf(string platform) =>
        GatewaysOf(platform).Select(gateway => _enterpriseOf[gateway]).Distinct(StringComparer.Ordinal).ToArray();

    public PointMapping? Point(string gatewayId, string meter, string point) =>
        _points.GetValueOrDefault((gatewayId, meter, point));
}

/// <summary>A gateway point's data item on the platforms.</summary>
public sealed record PointMapping(string DataCode, FixedDecimal ConvertRation, DataScope Scope, InputType InputType, StatType StatType);
