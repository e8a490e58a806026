using System.Collections.Concurrent;
using EdgeMeter.Core.Commands;
using EdgeMeter.Core.Messages;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Verify;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Commands;

/// <summary>
/// The second time source of gateways on isolated networks: when a connected gateway reports an unsynchronized
/// clock, the receiver sends it `set-time`, a command signed with the gateway's key whose own signed time becomes the
/// gateway's clock. It names the status it answers; the gateway takes it only as the answer to its latest online
/// status within a minute (SignedTimePolicy), so a late one moves no clock. Sent only while the gateway can take it,
/// with 60 s to live (never delivered later), at most once per interval per gateway.
/// </summary>
public sealed class GatewayTimeKeeper(CommandService commands, IGatewayLink link, TimeProvider time, ILogger log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
    public const string Actor = "receiver:time";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    /// <summary>Sends set-time when <paramref name="status"/> says the clock is not synchronized. Returns the queuing, or null.</summary>
    public Task? Offer(string gateway, long statusSequence, StatusInfo status)
    {
        var now = time.GetUtcNow();
        if (status.ClockSynchronized || status.State != GatewayState.Online || !link.IsReady(gateway)
            || (_lastSent.TryGetValue(gateway, out var last) && now - last < Interval))
        {
            return null;
        }

        _lastSent[gateway] = now;
        return Task.Run(async () =>
        {
            try
            {
                var args = new Dictionary<string, string> { ["status"] = statusSequence.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                var command = await commands.QueueAsync(gateway, CommandProcessor.SetTime, args, TimeToLive, Actor);
                log.LogInformation("{Gateway} reports an unsynchronized clock: set-time sent (command {Id})", gateway, command.Id);
            }
            catch (CommandRequestException failure)
            {
                log.LogWarning("{Gateway} reports an unsynchronized clock, and set-time could not be sent: {Reason}", gateway, failure.Message);
            }
        });
    }
}
