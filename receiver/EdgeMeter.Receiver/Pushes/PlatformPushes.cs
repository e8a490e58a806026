using System.Text.Json;
using EdgeMeter.Core.Commands;
using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Pushes;

public enum PushDisposition
{
    /// <summary>Verified, stored and queued to its gateways as platform-message commands.</summary>
    Accepted,

    /// <summary>The same message (account, jti) arrived before: nothing done again.</summary>
    Duplicate,

    /// <summary>Not verified or not allowed: nothing stored or forwarded; the audit log has why.</summary>
    Refused,
}

/// <summary>What became of one push.</summary>
public sealed record PushOutcome(PushDisposition Disposition, string Detail, long? Id = null, IReadOnlyDictionary<string, string>? Forwarded = null);

/// <summary>
/// The platform pushes (docs/platform-upload.md, "Platform pushes"): a platform account publishes a signed message on
/// its push topic (or POSTs it to /platform/push); it is verified, kept in platform_messages, shown in the admin API,
/// and forwarded to the gateways it concerns, which are only ever gateways the account's platform serves, as
/// platform-message commands. Every refusal is in the audit log.
/// </summary>
public sealed class PlatformPushes(
    PlatformPushVerifier verifier, Routing routing, PacketStore store, Func<CommandService> commands, AuditLog audit, TimeProvider time, ILogger log)
{
    /// <summary>False when no platform account has a push key: then /platform/push is not even served.</summary>
    public bool Enabled => verifier.HasKeys;

    /// <summary>Pushed messages reach gateways that were offline for up to this long.</summary>
    public static readonly TimeSpan ForwardTimeToLive = CommandService.MaxTimeToLive;

    /// <param name="account">The account the MQTT topic names; null for the HTTPS path (taken from the signed iss).</param>
    /// <param name="via">"mqtt" or "https", for the record.</param>
    public async Task<PushOutcome> ReceiveAsync(string? account, string via, string jws)
    {
        var (message, problem) = await verifier.VerifyAsync(account, jws.Trim());
        if (message is null)
        {
            return Refuse(account ?? "(iss)", via, problem!);
        }

        if (Targets(message, out var targetProblem) is not { } gateways)
        {
            return Refuse(message.Account, via, targetProblem!);
        }

        var received = Sql.Time(time.GetUtcNow().UtcDateTime);
        var id = await store.WriteAsync(db => db.ScalarLong(
            """
            INSERT INTO platform_messages(account, platform, message_id, issued_at, received_at, via, text, gateways, forwarded, jws)
            VALUES (@account, @platform, @mid, @issued, @received, @via, @text, @gateways, '{}', @jws)
            ON CONFLICT(account, message_id) DO NOTHING RETURNING id
            """,
            ("@account", message.Account), ("@platform", message.Platform), ("@mid", message.MessageId), ("@issued", Sql.Time(message.IssuedAt.UtcDateTime)),
            ("@received", received), ("@via", via), ("@text", message.Text), ("@gateways", JsonSerializer.Serialize(gateways)), ("@jws", jws.Trim())));
        if (id is null)
        {
            return new PushOutcome(PushDisposition.Duplicate, $"message {message.MessageId} of {message.Account} was received before");
        }

        var forwarded = await ForwardAsync(message, gateways);
        await store.WriteAsync(db => db.Execute("UPDATE platform_messages SET forwarded = @f WHERE id = @id", ("@f", JsonSerializer.Serialize(forwarded)), ("@id", id)));
        audit.Append($"platform:{message.Account}", "platform.push", message.MessageId, "ok", $"via {via} to {gateways.Count} gateways");
        log.LogInformation("platform {Platform} ({Account}) pushed message {Id} via {Via} to {Count} gateways", message.Platform, message.Account, message.MessageId, via, gateways.Count);
        return new PushOutcome(PushDisposition.Accepted, $"stored as {id}, forwarded to {gateways.Count} gateways", id, forwarded);
    }

    /// <summary>
    /// Forwards the messages stored but not yet forwarded (a receiver stopped in between). Called by the receiver that
    /// holds the work lease, at start or when it takes the lease; returns how many.
    /// </summary>
    public async Task<int> ForwardPendingAsync()
    {
        var pending = store.Read(db => db.Query(
            "SELECT id, account, platform, message_id, issued_at, text, gateways FROM platform_messages WHERE forwarded = '{}' ORDER BY id",
            r => (Id: r.GetInt64(0), Message: new PlatformMessage(r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture), r.GetString(5), [], []),
                Gateways: JsonSerializer.Deserialize<List<string>>(r.GetString(6)) ?? [])));
        foreach (var (id, message, gateways) in pending)
        {
            var forwarded = await ForwardAsync(message, gateways);
            await store.WriteAsync(db => db.Execute("UPDATE platform_messages SET forwarded = @f WHERE id = @id", ("@f", JsonSerializer.Serialize(forwarded)), ("@id", id)));
        }

        return pending.Count;
    }

    /// <summary>
    /// The gateways a message concerns: those of the aud enterprises this receiver serves for the platform (aud may
    /// name enterprises of other receivers too), or the ones it names among them. Null with the reason when it
    /// concerns none of ours or names a gateway outside them.
    /// </summary>
    private List<string>? Targets(PlatformMessage message, out string? problem)
    {
        problem = null;
        var ours = routing.EnterprisesOf(message.Platform).Intersect(message.Enterprises, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (ours.Count == 0)
        {
            problem = $"aud: names no enterprise this receiver serves for platform {message.Platform}";
            return null;
        }

        var served = routing.GatewaysOf(message.Platform).Where(gateway => ours.Contains(routing.EnterpriseOf(gateway)!)).ToHashSet(StringComparer.Ordinal);
        if (message.Gateways.FirstOrDefault(gateway => !served.Contains(gateway)) is { } foreign)
        {
            problem = $"gateways: {foreign} is not a gateway of the enterprises in aud served by platform {message.Platform}";
            return null;
        }

        return [.. (message.Gateways.Count > 0 ? message.Gateways : [.. served]).Order(StringComparer.Ordinal)];
    }

    // Gateway -> "command {id}" or why it could not be queued (no key, too long for a packet).
    private async Task<Dictionary<string, string>> ForwardAsync(PlatformMessage message, List<string> gateways)
    {
        var forwarded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var gateway in gateways)
        {
            try
            {
                var command = await commands().QueueAsync(
                    gateway, CommandProcessor.PlatformMessage, new Dictionary<string, string> { ["text"] = message.Text }, ForwardTimeToLive, $"platform:{message.Account}");
                forwarded[gateway] = $"command {command.Id}";
            }
            catch (CommandRequestException failure)
            {
                forwarded[gateway] = $"not forwarded: {failure.Message}";
                log.LogWarning("platform message {Id} not forwarded to {Gateway}: {Reason}", message.MessageId, gateway, failure.Message);
            }
        }

        return forwarded;
    }

    private PushOutcome Refuse(string account, string via, string problem)
    {
        audit.Append($"platform:{account}", "platform.push", via, "refused", problem);
        log.LogWarning("platform push from {Account} via {Via} refused: {Reason}", account, via, problem);
        return new PushOutcome(PushDisposition.Refused, problem);
    }
}
