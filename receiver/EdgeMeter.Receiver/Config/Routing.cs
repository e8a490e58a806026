namespace EdgeMeter.Receiver.Config;

/// <summary>
/// Where data goes, resolved once from validated options: each gateway's packets to its platforms (a gateway's own
/// list overrides its enterprise's; the MQTT tiers), and each enterprise's indicators to the enterprise's platforms
/// (the HTTP tiers).
/// </summary>
public sealed class Routing
{
    private readonly Dictionary<string, string> _enterpriseOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _platformsOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _platformsOfEnterprise = new(StringComparer.Ordinal);

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

        foreach (var enterprise in options.Enterprises)
        {
            routing._platformsOfEnterprise[enterprise.Code] = enterprise.Platforms.Distinct(StringComparer.Ordinal).ToArray();
        }

        return routing;
    }

    public string? EnterpriseOf(string gatewayId) => _enterpriseOf.GetValueOrDefault(gatewayId);

    public IReadOnlyList<string> PlatformsOf(string gatewayId) => _platformsOf.GetValueOrDefault(gatewayId) ?? [];

    /// <summary>The gateways whose data goes to <paramref name="platform"/>, sorted.</summary>
    public IReadOnlyList<string> GatewaysOf(string platform) =>
        _platformsOf.Where(pair => pair.Value.Contains(platform, StringComparer.Ordinal)).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The enterprises whose indicators go to <paramref name="platform"/>, sorted.</summary>
    public IReadOnlyList<string> EnterprisesOf(string platform) =>
        _platformsOfEnterprise.Where(pair => pair.Value.Contains(platform, StringComparer.Ordinal)).Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray();
}
