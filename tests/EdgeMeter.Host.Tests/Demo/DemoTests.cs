using System.Text.Json.Nodes;
using EdgeMeter.Host.Tests.Support;

namespace EdgeMeter.Host.Tests.Demo;

/// <summary>The one-command demo, short, as CI runs it: every reading must reach every platform it is routed to.</summary>
public class DemoTests
{
    [Fact]
    public void A_short_demo_delivers_every_reading_once_to_every_tier()
    {
        var run = CliRun.Of("demo", "--duration", "8", "--gateways", "2", "--meters", "2", "--json");
        var summary = Summary(run);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True((long)summary["readings_taken"]! > 0);
        Assert.Equal((long)summary["readings_taken"]!, (long)summary["readings_national"]!);
        Assert.Equal((long)summary["expected_provincial"]!, (long)summary["readings_provincial"]!);
        Assert.True((long)summary["readings_provincial"]! < (long)summary["readings_national"]!, "gw-02's enterprise has no provincial platform");
        Assert.Equal(0, (long)summary["lost"]!);
        Assert.Equal(0, (long)summary["duplicated"]!);
        Assert.Equal(0, (long)summary["rejected"]!);
    }

    [Fact]
    public void A_short_chaos_run_still_loses_nothing_and_stores_nothing_twice()
    {
        var run = CliRun.Of("demo", "--duration", "20", "--gateways", "2", "--meters", "2", "--chaos", "--seed", "3", "--json");
        var summary = Summary(run);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, (long)summary["lost"]!);
        Assert.Equal(0, (long)summary["duplicated"]!);
        Assert.Equal(0, (long)summary["altered"]!);
        var restarts = summary["restarts"]!.AsObject();
        Assert.True(restarts.Sum(r => (long)r.Value!) > 0, "the chaos schedule injected no fault");
    }

    [Theory]
    [InlineData("--duration", "1", "--duration must be 5..86400 seconds")]
    [InlineData("--gateways", "0", "--gateways must be 1..20")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var run = CliRun.Of("demo", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    private static JsonObject Summary(CliRun run)
    {
        var start = run.Out.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, run.ToString());
        return JsonNode.Parse(run.Out[start..])!.AsObject();
    }
}
