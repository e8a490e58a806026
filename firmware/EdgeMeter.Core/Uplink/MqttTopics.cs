using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// The public topic scheme: "{prefix}/{gatewayId}/{up|status|down|reply}" (docs/mqtt-topics.md). The prefix
/// defaults to "edgemeter/v1" and is one or more topic levels without wildcards.
/// </summary>
public sealed class MqttTopics
{
    public const string DefaultPrefix = "edgemeter/v1";

    public MqttTopics()
        : this(DefaultPrefix)
    {
    }

    public MqttTopics(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new System.ArgumentException("topic prefix must be non-empty levels without '+', '#', '$' at the start or empty levels", nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    public string Topic(string gatewayId, PacketKind kind)
    {
        if (!GatewayIdentity.IsGatewayId(gatewayId))
        {
            throw new System.ArgumentException("invalid gateway id", nameof(gatewayId));
        }

        if (kind == PacketKind.None)
        {
            throw new System.ArgumentException("no topic for kind None", nameof(kind));
        }

        return Prefix + "/" + gatewayId + "/" + PacketNames.Kind(kind);
    }

    public string Up(string gatewayId) => Topic(gatewayId, PacketKind.Up);

    public string Status(string gatewayId) => Topic(gatewayId, PacketKind.Status);

    public string Down(string gatewayId) => Topic(gatewayId, PacketKind.Down);

    public string Reply(string gatewayId) => Topic(gatewayId, PacketKind.Reply);

    /// <summary>The filter that matches this kind for every gateway: "{prefix}/+/up".</summary>
    public string AllGateways(PacketKind kind) => Prefix + "/+/" + PacketNames.Kind(kind);

    /// <summary>
    /// Splits a concrete topic (as received, never a filter) into its gateway id and kind. Returns false for other
    /// prefixes, wildcards, extra or missing levels, invalid gateway ids and unknown kinds.
    /// </summary>
    public bool TryParse(string topic, out string gatewayId, out PacketKind kind)
    {
        gatewayId = "";
        kind = PacketKind.None;
        if (topic == null || topic.Length <= Prefix.Length + 1 || topic[Prefix.Length] != '/')
        {
            return false;
        }

        for (var i = 0; i < Prefix.Length; i++)
        {
            if (topic[i] != Prefix[i])
            {
                return false;
            }
        }

        var idStart = Prefix.Length + 1;
        var slash = topic.IndexOf('/', idStart);
        if (slash < 0)
        {
            return false;
        }

        var id = topic.Substring(idStart, slash - idStart);
        var parsedKind = PacketNames.ParseKind(topic.Substring(slash + 1));
        if (!GatewayIdentity.IsGatewayId(id) || parsedKind == PacketKind.None)
        {
            return false;
        }

        gatewayId = id;
        kind = parsedKind;
        return true;
    }

    private static bool IsValidPrefix(string prefix)
    {
        if (prefix == null || prefix.Length == 0 || prefix[0] == '$' || prefix[0] == '/' || prefix[prefix.Length - 1] == '/')
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (c == '+' || c == '#' || c == '\0' || (c == '/' && prefix[i - 1] == '/'))
            {
                return false;
            }
        }

        return true;
    }
}
