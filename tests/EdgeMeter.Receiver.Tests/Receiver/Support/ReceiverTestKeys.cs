using EdgeMeter.Common.Keys;
using EdgeMeter.Receiver.Keys;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>The shared test keys as the receiver's key registry holds them.</summary>
internal static class ReceiverTestKeys
{
    public static IReadOnlyList<KeyEntry> All => [.. EdgeMeter.TestSupport.TestKeys.All.Select(k => new KeyEntry(k.Gateway, k.Version, k.Key))];
}
