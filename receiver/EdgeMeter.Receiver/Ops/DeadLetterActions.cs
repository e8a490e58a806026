using System.Data.Common;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// An operator's resend or drop of dead letters, from the admin API or the web console alike: checked, written by
/// the receiver's writer, audited under the operator's name, and the tiers woken to send at once.
/// </summary>
internal static class DeadLetterActions
{
    /// <summary>The ids acted on, or why nothing was done.</summary>
    public static async Task<(string? Problem, IReadOnlyList<long> Ids)> ActAsync(
        ReceiverServices services, Relay.DeadLetterSelection selection, string actor, string action, Func<DbConnection, string, string, IReadOnlyList<long>> act)
    {
        var problem = selection.Problem()
            ?? (selection.Tier is { } tier && services.Tiers.All(t => t.Name != tier) ? $"tier: no platform tier named '{tier}'" : null);
        if (problem is not null)
        {
            services.Audit.Append(actor, action, selection.ToString(), "refused", problem);
            return (problem, []);
        }

        var now = Sql.Time(services.Time.GetUtcNow().UtcDateTime);
        var ids = await services.Store.WriteAsync(db => act(db, actor, now));
        services.Audit.Append(actor, action, selection.ToString(), "ok", ids.Count == 0 ? "nothing matched" : $"{ids.Count}: {string.Join(",", ids)}");
        foreach (var relay in services.Tiers)
        {
            relay.Wake();
        }

        return (null, ids);
    }
}
