using EdgeMeter.Core.Config;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Tests.Uplink;

public class PointDirectoryTests
{
    // Texts built at run time, as a configuration reader makes them: equal, never the same object.
    private static string Text(string value) => new(value.ToCharArray());

    private static MeterSettings Meter(string id, params string[] pointsAndUnits)
    {
        var points = new PointSettings[pointsAndUnits.Length / 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointSettings { Id = Text(pointsAndUnits[2 * i]), Unit = Text(pointsAndUnits[(2 * i) + 1]) };
        }

        return new MeterSettings { Id = id, Points = points };
    }

    private static PointDirectory Directory(params MeterSettings[] meters) => new(new GatewayConfig { GatewayId = "gw", Meters = meters });

    [Fact]
    public void Names_every_configured_point_with_its_meter_and_unit()
    {
        var points = Directory(Meter("m1", "00010000", "kWh", "02010100", "V"), Meter("m2", "power", "kW"));

        Assert.Equal(2, points.MeterCount);
        Assert.Equal(("m1", "02010100", "V"), (points.MeterId(0), points.PointId(0, 1), points.Unit(0, 1)));
        Assert.Equal(("m2", "power", "kW"), (points.MeterId(1), points.PointId(1, 0), points.Unit(1, 0)));
        Assert.True(points.Knows(1, 0));
        Assert.False(points.Knows(1, 1));
        Assert.False(points.Knows(2, 0));
        Assert.False(points.Knows(-1, 0));
    }

    [Fact]
    public void Meters_of_one_model_share_one_row_of_ids_and_units()
    {
        var points = Directory(Meter("m1", "00010000", "kWh", "02010100", "V"), Meter("m2", "00010000", "kWh", "02010100", "V"));

        Assert.Same(points.PointId(0, 0), points.PointId(1, 0));
        Assert.Same(points.PointId(0, 1), points.PointId(1, 1));
        Assert.Same(points.Unit(0, 1), points.Unit(1, 1));
    }

    [Fact]
    public void A_meter_of_another_model_keeps_its_own_row_and_shares_the_equal_texts()
    {
        var points = Directory(Meter("m1", "00010000", "kWh", "02010100", "V"), Meter("m2", "00010000", "kWh", "power", "kW", "energy", "kWh"));

        Assert.Equal(("power", "kW"), (points.PointId(1, 1), points.Unit(1, 1)));
        Assert.Same(points.PointId(0, 0), points.PointId(1, 0));
        Assert.Same(points.Unit(0, 0), points.Unit(1, 2));
        Assert.Equal("energy", points.PointId(1, 2));
    }
}
