using EdgeMeter.Core.Config;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// Turns the buffer's compact (meter index, point index) back into the ids and units a packet carries: the
/// buffer stores small integers, the wire carries the configuration's names.
/// </summary>
public sealed class PointDirectory
{
    private readonly string[] _meterIds;
    private readonly string[][] _pointIds;
    private readonly string[][] _units;

    public PointDirectory(GatewayConfig config)
    {
        var meters = config.Meters;
        _meterIds = new string[meters.Length];
        _pointIds = new string[meters.Length][];
        _units = new string[meters.Length][];
        for (var m = 0; m < meters.Length; m++)
        {
            var points = meters[m].Points;
            _meterIds[m] = meters[m].Id;
            _pointIds[m] = new string[points.Length];
            _units[m] = new string[points.Length];
            for (var p = 0; p < points.Length; p++)
            {
                _pointIds[m][p] = points[p].Id;
                _units[m][p] = points[p].Unit;
            }
        }
    }

    public int MeterCount => _meterIds.Length;

    /// <summary>Whether the buffer's indices still name a configured point (a config change can remove one).</summary>
    public bool Knows(int meter, int point) =>
        meter >= 0 && meter < _meterIds.Length && point >= 0 && point < _pointIds[meter].Length;

    public string MeterId(int meter) => _meterIds[meter];

    public string PointId(int meter, int point) => _pointIds[meter][point];

    public string Unit(int meter, int point) => _units[meter][point];
}
