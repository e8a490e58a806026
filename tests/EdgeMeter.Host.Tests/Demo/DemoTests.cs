using System.Text.Json.Nodes;
using EdgeMeter.Host.Tests.Support;

namespace EdgeMeter.Host.Tests.Demo;

/// <summary>The one-command demo, short, as CI runs it: every reading reaches the receiver, every item's values every platform it is routed to.</summary>
public class DemoTests
{
    [Fact]
    public void A_simulated_day_reaches_every_platform_as_reconciled_indicators_and_every_reading_reaches_the_receiver()
    {
        var run = CliRun.Of("demo", "--duration", "10", "--simulated-days", "1", "--gateways", "2", "--meters", "2", "--json");
        var summary = Summary(run);

        AssertEveryReadingOnceAndReconciled(run, summary);
        Assert.True((double)summary["completeness_min"]! >= 90, run.ToString());
        var provincial = summary["platforms"]!["provincial"]!;
        var national = summary["platforms"]!["national"]!;
        // gw-01's enterprise: 2 meters, the boiler PLC's steam, gas and heat (Modbus TCP), the CJ/T 188 water meter and the
        // whole plant, to both platforms; gw-02's: the same, to the national one only.
        Assert.Equal((7L, 7L), ((long)provincial["indicators_daily"]!, (long)provincial["indicators_monthly"]!));
        Assert.Equal((14L, 14L), ((long)national["indicators_daily"]!, (long)national["indicators_monthly"]!));
        Assert.True((long)provincial["indicators_realtime"]! >= 3 * 96, run.ToString());
    }

    [Fact]
    public void A_chaos_run_with_a_day_long_gateway_outage_loses_nothing_and_recovers_the_missed_midnights_from_the_meters()
    {
        var run = CliRun.Of("demo", "--duration", "20", "--simulated-days", "3", "--gateways", "2", "--meters", "2", "--chaos", "--seed", "3", "--json");
        var summary = Summary(run);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, (long)summary["lost"]!);
        Assert.Equal(0, (long)summary["untraced"]!); // a kill between a commit and its trace lines is caught up on restart
        Assert.Equal(0, (long)summary["duplicated"]!);
        Assert.Equal(0, (long)summary["altered"]!);
        Assert.Equal(0, (long)summary["reconciliation_failures"]!);
        Assert.Equal(0, (long)summary["missing_days"]!);
        var restarts = summary["restarts"]!.AsObject();
        // gw-01 was off for more than a simulated day: its DL/T 645-2007 meter's freezes filled the midnights.
        Assert.Equal(1, (long)restarts["long_outages"]!);
        Assert.True((long)summary["frozen_readings"]! >= 1, run.ToString());
        Assert.True(restarts.Sum(r => (long)r.Value!) > 0, "the chaos schedule injected no fault");
    }

    [Fact]
    public void Two_receivers_on_postgresql_behind_mosquitto_lose_nothing_when_one_is_killed()
    {
        Peers.Require("/usr/sbin/mosquitto", "mosquitto");
        Peers.Require(EdgeMeter.Common.Postgres.LocalPostgresCluster.BinaryDirectory() is { } bin ? Path.Combine(bin, "pg_ctl") : "pg_ctl", "postgresql");
        var run = CliRun.Of(
            "demo", "--store", "postgres", "--receivers", "2", "--duration", "20", "--simulated-days", "1", "--gateways", "2", "--meters", "2", "--chaos", "--seed", "7", "--json");
        var summary = Summary(run);

        AssertEveryReadingOnceAndReconciled(run, summary);
        Assert.True((long)summary["restarts"]!["receiver"]! >= 1, $"the chaos schedule killed no receiver: {run}");
    }

    [Theory]
    [InlineData("--receivers", "2", "more than 1 needs --store postgres")]
    [InlineData("--store", "oracle", "--store 'oracle' is not sqlite or postgres")]
    [InlineData("--duration", "1", "--duration must be 5..86400 seconds")]
    [InlineData("--gateways", "0", "--gateways must be 1..20")]
    [InlineData("--simulated-days", "-1", "--simulated-days must be 0..62")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var run = CliRun.Of("demo", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    private static void AssertEveryReadingOnceAndReconciled(CliRun run, JsonObject summary)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True((long)summary["readings_taken"]! > 0);
        Assert.Equal((long)summary["readings_taken"]!, (long)summary["readings_stored"]!);
        Assert.Equal((0L, 0L, 0L, 0L), ((long)summary["lost"]!, (long)summary["duplicated"]!, (long)summary["altered"]!, (long)summary["rejected"]!));
        Assert.Equal(0, (long)summary["reconciliation_failures"]!);
        Assert.Equal(0, (long)summary["missing_days"]!);
    }

    private static JsonObject Summary(CliRun run)
    {
        var start = run.Out.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, run.ToString());
        return JsonNode.Parse(run.Out[start..])!.AsObject();
    }
}
