using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;

namespace EdgeMeter.Receiver.Ops;

/// <summary>The /metrics page: the counters plus gauges read at scrape time (store lag, relay lag, connections).</summary>
public static class MetricsReport
{
    internal static string Render(ReceiverMetrics metrics, PacketStore store, IReadOnlyList<IRelayTier> tiers, IGatewayLink link, IndicatorServices indicators, TimeProvider time)
    {
        var m = metrics.Snapshot();
        var text = new PrometheusText()
            .Gauge("edgemeter_ingest_up", "1 while the ingest accepts packets (embedded broker listening or connected to the external broker).", link.IsRunning ? 1 : 0)
            .Gauge("edgemeter_gateways_connected", "Gateways connected to the embedded broker.", link.ConnectedGateways)
            .Counter("edgemeter_broker_connects_total", "Connections made to the external broker (1 in steady state; growing: the link keeps dropping, e.g. two receivers with one client id).", link.BrokerConnects)
            .Counter("edgemeter_packets_received_total", "Messages received on gateway topics (before any check).", m.PacketsReceived)
            .Counter("edgemeter_packets_verified_total", "Packets whose signature and schema verified.", m.PacketsVerified)
            .Labelled("edgemeter_packets_rejected_total", "Messages quarantined, by error (PacketError name, AclDenied, UnknownTopic, ReplayConflict, ...).", "counter", "error",
                m.RejectedByError.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new KeyValuePair<string, double>(pair.Key, pair.Value)))
            .Labelled("edgemeter_quarantined_by_gateway_total", "Messages quarantined, by the gateway id of their topic (at most 1000 ids, then \"other\"): who misbehaves.", "counter", "gateway",
                m.QuarantinedByGateway.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new KeyValuePair<string, double>(pair.Key, pair.Value)))
            .Counter("edgemeter_packets_duplicate_total", "Exact redeliveries of stored packets, acknowledged and dropped.", m.PacketsDuplicate)
            .Counter("edgemeter_replay_alerts_total", "Packets reusing a stored sequence number with different content (quarantined).", m.ReplayAlerts)
            .Counter("edgemeter_readings_stored_total", "Readings stored.", m.ReadingsStored)
            .Counter("edgemeter_readings_duplicate_total", "Readings received again (same gateway and n), not stored or relayed again.", m.ReadingsDuplicate)
            .Counter("edgemeter_acl_denied_total", "Publishes and subscriptions refused by the topic ACL.", m.AclDenied)
            .Counter("edgemeter_connections_refused_total", "Broker connections refused (credentials, client id, too many wrong passwords, flooding).", m.ConnectionsRefused)
            .Counter("edgemeter_flood_disconnects_total", "Logged-in clients disconnected for too many quarantined messages in a minute.", m.FloodDisconnects)
            .Gauge("edgemeter_store_pending_writes", "Writes queued and not yet committed (store lag).", store.PendingWrites)
            .Counter("edgemeter_store_commits_total", "Group commits.", store.Commits)
            .Gauge("edgemeter_store_commit_seconds_total", "Time spent committing (with fsync).", store.CommitSecondsTotal)
            .Labelled("edgemeter_store_checkpoints_total", "WAL checkpoints run beside the commits (SQLite): by the checkpoint thread (background) and by the writer to restart the WAL (restart).", "counter", "kind",
                [new("background", store.Checkpoints.Background), new("restart", store.Checkpoints.Finishing)])
            .Counter("edgemeter_store_failures_total", "Writes that failed (not acknowledged; the sender retries).", m.StoreFailures)
            .Labelled("edgemeter_relay_delivered_total", "Rows (indicator values for HTTP, packets for MQTT) acknowledged by the platform.", "counter", "tier",
                Per(tiers, tier => m.Tiers.GetValueOrDefault(tier.Name)?.Delivered ?? 0))
            .Labelled("edgemeter_relay_failures_total", "Relay attempts that failed and will be retried.", "counter", "tier",
                Per(tiers, tier => m.Tiers.GetValueOrDefault(tier.Name)?.Failures ?? 0))
            .Labelled("edgemeter_relay_dead_letters_total", "Rows the platform refused for good (kept in dead_letters).", "counter", "tier",
                Per(tiers, tier => m.Tiers.GetValueOrDefault(tier.Name)?.DeadLettered ?? 0))
            .Labelled("edgemeter_relay_lag_rows", "Rows stored and not yet relayed by the tier.", "gauge", "tier", Per(tiers, tier => tier.Lag()))
            .Labelled("edgemeter_relay_failing_gateways", "Gateways whose relay is backing off after a failure.", "gauge", "tier", Per(tiers, tier => tier.FailingGateways))
            .Counter("edgemeter_commands_queued_total", "Commands queued through the admin API.", m.CommandsQueued)
            .Counter("edgemeter_commands_sent_total", "Commands published to gateways.", m.CommandsSent)
            .Counter("edgemeter_commands_expired_total", "Commands that expired without a reply.", m.CommandsExpired)
            .Counter("edgemeter_replies_total", "Command replies received from gateways.", m.Replies);
        Indicators(text, store, indicators, time);
        return text.ToString();
    }

    private static void Indicators(PrometheusText text, PacketStore store, IndicatorServices indicators, TimeProvider time)
    {
        var metrics = indicators.Metrics;
        var yesterday = DateOnly.FromDateTime(Relay.Http.PlatformTime.Now(time).Date.AddDays(-1));
        var completeness = store.Read(db => IndicatorQueries.Completeness(db, indicators.Items, yesterday, indicators.Options.CompletenessTargetPercent));
        var types = Enum.GetValues<Relay.Http.StatType>();
        text.Counter("edgemeter_indicator_samples_total", "Readings of points some data item reads, taken into the samples.", metrics.Samples)
            .Counter("edgemeter_unmapped_readings_total", "Readings of points no data item reads (stored and relayed on MQTT, in no indicator; GET /admin/unmapped).", metrics.UnmappedReadings)
            .Labelled("edgemeter_indicators_final_total", "Indicator values that became final and were queued for upload, by statType.", "counter", "stat_type",
                types.Select(t => new KeyValuePair<string, double>(((int)t).ToString(System.Globalization.CultureInfo.InvariantCulture), metrics.FinalOf(t))))
            .Counter("edgemeter_indicator_corrections_total", "Final values changed by late data and uploaded again.", metrics.Corrections)
            .Labelled("edgemeter_item_completeness_percent", "Share of trusted intervals yesterday (Beijing), per data item (enterprise/dataCode).", "gauge", "item",
                completeness.Select(c => new KeyValuePair<string, double>($"{c.Enterprise}/{c.DataCode}", c.Percent)))
            .Gauge("edgemeter_items_below_completeness_target", "Data items under the completeness target yesterday (Beijing).", completeness.Count(c => c.BelowTarget));
    }

    private static IEnumerable<KeyValuePair<string, double>> Per(IReadOnlyList<IRelayTier> tiers, Func<IRelayTier, double> value) =>
        tiers.Select(tier => new KeyValuePair<string, double>(tier.Name, value(tier)));
}
