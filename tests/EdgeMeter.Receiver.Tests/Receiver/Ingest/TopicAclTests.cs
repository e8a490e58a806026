using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Ingest;

namespace EdgeMeter.Receiver.Tests.Receiver.Ingest;

public sealed class TopicAclTests
{
    private static readonly TopicAcl Acl = new(new MqttTopics());
    private static readonly ClientIdentity Gateway = new(ClientRole.Gateway, "gw-0001");
    private static readonly ClientIdentity Platform = new(ClientRole.Platform, "svc.platform-yn");

    [Theory]
    [InlineData("edgemeter/v1/gw-0001/up", true)]
    [InlineData("edgemeter/v1/gw-0001/status", true)]
    [InlineData("edgemeter/v1/gw-0001/reply", true)]
    [InlineData("edgemeter/v1/gw-0001/down", false)]
    [InlineData("edgemeter/v1/gw-0002/up", false)]
    [InlineData("edgemeter/v1/gw-0002/status", false)]
    [InlineData("edgemeter/v2/gw-0001/up", false)]
    [InlineData("edgemeter/v1/gw-0001/up/extra", false)]
    [InlineData("$SYS/broker", false)]
    public void A_gateway_publishes_only_its_own_up_status_and_reply(string topic, bool allowed) =>
        Assert.Equal(allowed, Acl.PublishDenied(Gateway, topic) is null);

    [Theory]
    [InlineData("edgemeter/v1/gw-0001/down", true)]
    [InlineData("edgemeter/v1/gw-0002/down", false)]
    [InlineData("edgemeter/v1/+/down", false)]
    [InlineData("edgemeter/v1/gw-0001/#", false)]
    [InlineData("#", false)]
    [InlineData("edgemeter/v1/gw-0002/up", false)]
    public void A_gateway_subscribes_only_to_its_own_down(string filter, bool allowed) =>
        Assert.Equal(allowed, Acl.SubscribeDenied(Gateway, filter) is null);

    [Theory]
    [InlineData("edgemeter/v1/+/up", true)]
    [InlineData("edgemeter/v1/+/status", true)]
    [InlineData("edgemeter/v1/gw-0002/up", true)]
    [InlineData("edgemeter/v1/+/down", false)]
    [InlineData("edgemeter/v1/+/reply", false)]
    [InlineData("edgemeter/v1/#", false)]
    [InlineData("edgemeter/v1/+/+", false)]
    [InlineData("#", false)]
    [InlineData("$SYS/#", false)]
    public void A_platform_account_reads_up_and_status_only(string filter, bool allowed) =>
        Assert.Equal(allowed, Acl.SubscribeDenied(Platform, filter) is null);

    [Fact]
    public void A_platform_account_publishes_nothing() =>
        Assert.Contains("may not publish", Acl.PublishDenied(Platform, "edgemeter/v1/gw-0001/up"));

    [Theory]
    [InlineData("edgemeter/v1/platform.push/svc.platform-yn", true)]
    [InlineData("edgemeter/v1/platform.push/svc.platform-other", false)]
    [InlineData("edgemeter/v1/platform.push/+", false)]
    [InlineData("edgemeter/v1/gw-0001/down", false)]
    [InlineData("edgemeter/v1/gw-0001/up", false)]
    [InlineData("edgemeter/v2/platform.push/svc.platform-yn", false)]
    public void A_platform_account_with_a_push_key_publishes_only_on_its_own_push_topic(string topic, bool allowed)
    {
        var acl = new TopicAcl(new MqttTopics(), new HashSet<string> { "svc.platform-yn" });

        Assert.Equal(allowed, acl.PublishDenied(Platform, topic) is null);
        Assert.NotNull(Acl.PublishDenied(Platform, topic));
        if (topic.Contains("platform.push", StringComparison.Ordinal))
        {
            Assert.NotNull(acl.PublishDenied(Gateway, topic));
        }
    }
}
