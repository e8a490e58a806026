using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Auth;

namespace EdgeMeter.Receiver.Ingest;

/// <summary>
/// Least privilege on the embedded broker (docs/mqtt-topics.md, "Broker ACL expectations"): a gateway publishes
/// only its own up, status and reply and subscribes only to its own down; a platform account subscribes to up and
/// status (of every gateway or one) and publishes only its own pushes, if it has a push key; only the receiver
/// writes commands. Pure: no I/O.
/// </summary>
public sealed class TopicAcl(MqttTopics topics, IReadOnlySet<string>? pushAccounts = null)
{
    /// <summary>Null when <paramref name="who"/> may publish on <paramref name="topic"/>, else why not.</summary>
    public string? PublishDenied(ClientIdentity who, string topic)
    {
        if (who.Role == ClientRole.Receiver)
        {
            return null;
        }

        if (who.Role == ClientRole.Platform)
        {
            var own = Pushes.PlatformPushTopic.Topic(topics.Prefix, who.Name);
            return pushAccounts?.Contains(who.Name) != true ? $"{who} may not publish (it has no push key)"
                : topic == own ? null
                : $"{who} may publish only its pushes on {own}, not '{Verify.PacketIntake.Printable(topic)}'";
        }

        if (who.Role != ClientRole.Gateway)
        {
            return $"{who} may not publish";
        }

        if (!topics.TryParse(topic, out var gatewayId, out var kind))
        {
            return $"{who} may publish only on its own topics, not '{Verify.PacketIntake.Printable(topic)}'";
        }

        if (gatewayId != who.Name)
        {
            return $"{who} may not publish on the topics of gateway {gatewayId}";
        }

        return kind == PacketKind.Down ? $"{who} may not publish commands" : null;
    }

    /// <summary>Null when <paramref name="who"/> may subscribe to <paramref name="filter"/>, else why not.</summary>
    public string? SubscribeDenied(ClientIdentity who, string filter)
    {
        switch (who.Role)
        {
            case ClientRole.Receiver:
                return null;
            case ClientRole.Gateway:
                return filter == topics.Down(who.Name) ? null : $"{who} may subscribe only to {topics.Down(who.Name)}, not '{Verify.PacketIntake.Printable(filter)}'";
            default:
                return IsReadableByPlatforms(filter) ? null : $"{who} may subscribe only to {topics.Prefix}/(+|<gateway>)/(up|status), not '{Verify.PacketIntake.Printable(filter)}'";
        }
    }

    // {prefix}/+/up, {prefix}/+/status or one gateway's up/status: no '#', no other prefix, no down or reply.
    private bool IsReadableByPlatforms(string filter)
    {
        var start = topics.Prefix + "/";
        if (!filter.StartsWith(start, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = filter[start.Length..].Split('/');
        return rest.Length == 2
            && (rest[0] == "+" || GatewayIdentity.IsGatewayId(rest[0]))
            && rest[1] is "up" or "status";
    }
}
