using EdgeMeter.Benchmarks.Support;
using EdgeMeter.Benchmarks.Reports;

namespace EdgeMeter.Performance.Tests;

/// <summary>
/// Issue 20, part 4: what the gateway core keeps alive and allocates, counted exactly (bytes, not time) through the
/// whole core for 16 meters x 16 points on two buses: at most 40 KB kept (docs/performance.md), the configuration not
/// kept, steady cycles under 4 KB, one packet reading per piece read rather than per packet, no copy per meter of its health.
/// </summary>
public sealed class HeapBudgetTests
{
    private static readonly HeapReport.HeapFigures Full = HeapReport.Measure(meters: 16, pointsPerMeter: 16, buses: 2, steadyCycles: 20);

    [Fact]
    public void The_configuration_is_freed_after_start_up()
    {
        Assert.DoesNotContain(Full.LargestTypes, t => t.Type is "PointSettings" or "MeterSettings" or "GatewayConfig");
        Assert.True(Full.Objects < 500, $"{Full.Objects} objects retained");
    }

    [Fact]
    public void A_steady_cycle_allocates_less_than_4_KB()
    {
        Assert.True(Full.LargestCycleAllocation < 4096, $"{Full.LargestCycleAllocation} B in one cycle");
    }

    [Fact]
    public void The_core_keeps_at_most_40_KB_for_16_meters_of_16_points()
    {
        Assert.True(Full.NanoBytes <= 40 * 1024, $"{Full.NanoBytes} B retained (nanoFramework model)");
        Assert.True(Full.NanoBytes > 20 * 1024, $"{Full.NanoBytes} B: the walk lost the runtime's graph");
    }

    [Fact]
    public void Modbus_meters_of_one_model_share_their_point_names()
    {
        var modbus = HeapReport.Measure(meters: 16, pointsPerMeter: 0, buses: 2, steadyCycles: 3, modbus: true);
        Assert.True(modbus.NanoBytes <= 36 * 1024, $"{modbus.NanoBytes} B retained for 16 Modbus meters (nanoFramework model)");
        Assert.True(modbus.LargestCycleAllocation < 4096, $"{modbus.LargestCycleAllocation} B in one cycle");
    }

    [Fact]
    public void Neither_a_packets_worth_of_readings_nor_a_health_entry_per_meter_is_kept()
    {
        Assert.True(Full.LargestTypes.FirstOrDefault(t => t.Type == "PacketReading").Objects <= 8, "packet readings kept");
        Assert.True(Full.LargestTypes.FirstOrDefault(t => t.Type == "MeterHealth").Objects <= 1, "meter health entries kept");
    }

    [Fact]
    public void Modbus_meters_of_one_model_share_points_and_plan_and_each_reads_its_own_unit()
    {
        using var gateway = new BenchGateway(new BenchGatewayOptions { Dlt645Meters = 0, ModbusMeters = 16, Buses = 2, PollSeconds = 60 });
        gateway.RunCycle();

        var modbus = HeapReport.Measure(meters: 16, pointsPerMeter: 0, buses: 2, steadyCycles: 1, modbus: true);
        Assert.Equal(16, modbus.LargestTypes.Single(t => t.Type == "ModbusPoint").Objects); // 8 points, one model per bus
        var readings = new EdgeMeter.Core.Buffer.Reading[256];
        var count = gateway.Runtime.Buffer.ReadKept(1, readings); // the bench's broker acknowledged them already
        Assert.Equal(16 * 8, count);
        Assert.All(readings[..count], r => Assert.Equal(EdgeMeter.Core.Buffer.ReadingQuality.Good, r.Quality)); // a wrong unit would time out
        Assert.Equal(16, readings[..count].Select(r => r.Meter).Distinct().Count());
    }

    [Fact]
    public void A_command_verifier_is_made_per_command_in_pieces_under_4_KB()
    {
        Assert.DoesNotContain(Full.LargestTypes, t => t.Type == "PacketVerifier");
        var command = HeapReport.CommandVerifier(2048);
        Assert.True(command.LargestNanoBytes < 4096, $"{command.Largest}: {command.LargestNanoBytes} B");
        Assert.True(command.NanoBytes > 4096, $"{command.NanoBytes} B: the walk lost the verifier's buffers");
    }

    [Fact]
    public void Start_up_never_holds_the_configurations_points_beside_the_whole_runtime()
    {
        var startUp = HeapReport.StartUp(16, 16, 2);

        Assert.True(startUp.Peak <= 48 * 1024, $"{startUp.Peak} B at once while the runtime is built");
        Assert.True(startUp.Kept - startUp.Peak > 24 * 1024, $"{startUp.Peak} B against {startUp.Kept} B with the points kept: the points were not let go");
        Assert.True(startUp.Peak >= startUp.Runtime, "the runtime itself is alive at the end of start-up");
    }

    [Fact]
    public void A_runtime_that_lets_the_points_go_reads_what_one_that_keeps_them_does()
    {
        var kept = CycleReadings(releaseMeterPoints: false, out var keptConfig);
        var released = CycleReadings(releaseMeterPoints: true, out var releasedConfig);

        Assert.Equal(16 * 16, kept.Length);
        Assert.Equal(kept, released);
        Assert.All(keptConfig.Meters, m => Assert.Equal(16, m.Points.Length));
        Assert.All(releasedConfig.Meters, m => Assert.Empty(m.Points));
    }

    private static EdgeMeter.Core.Buffer.Reading[] CycleReadings(bool releaseMeterPoints, out EdgeMeter.Core.Config.GatewayConfig config)
    {
        using var gateway = new BenchGateway(new BenchGatewayOptions
        {
            Dlt645Meters = 16, ModbusMeters = 0, Dlt645PointsPerMeter = 16, Buses = 2, PollSeconds = 60, ReleaseMeterPoints = releaseMeterPoints,
        });
        gateway.RunCycle();
        config = gateway.Config;
        var readings = new EdgeMeter.Core.Buffer.Reading[512];
        var count = gateway.Runtime.Buffer.ReadKept(1, readings); // the bench's broker acknowledged them already
        return readings[..count];
    }

    [Fact]
    public void The_configuration_is_read_a_meter_at_a_time_in_pieces_under_4_KB()
    {
        var cost = HeapReport.ConfigParse(16, 16, 2);

        Assert.InRange(cost.Tokens, 1000, cost.Bytes / 6);
        Assert.True(cost.LargestNanoBytes < 4096, $"{cost.Largest}: {cost.LargestNanoBytes} B");
        Assert.True(cost.Reader < 8 * 1024, $"{cost.Reader} B held while the configuration is read, against {cost.Whole} B read whole");
        Assert.True(cost.Reader < Full.NanoBytes, "reading the file, not building the runtime, is start-up's peak"); // both beside the configuration
    }
}
