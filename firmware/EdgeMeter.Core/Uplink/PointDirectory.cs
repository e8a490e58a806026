using EdgeMeter.Core.Config;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// Turns the buffer's compact (meter index, point index) back into the ids and units a packet carries: the
/// buffer stores small integers, the wire carries the configuration's names. Meters of one model repeat the same point
/// ids and units: each distinct text is kept once (the configuration's copies are freed after start-up).
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
                _pointIds[m][p] = Shared(_pointIds, m, p, points[p].Id);
                _units[m][p] = Shared(_units, m, p, points[p].Unit);
            }
        }
    }

    public int MeterCount => _meterIds.Length;

    // An equal text already kept (by an earlier meter, or earlier in this one), else the text itself. Start-up only:
    // at most one comparison per pair of points (32,640 for 16 x 16).
    private static string Shared(string[][] earlier, int meter, int point, string text)
    {
        for (var m = 0; m <= meter; m++)
        {
            var row = earlier[m];
            for (var p = 0; p < row.Length && (m < meter || p < point); p++)
            {
                if (row[p] == text)
                {
                    return row[p];
                }
            }
        }

        return text;
    }

    /// <summary>Whether the buffer's indices still name a configured point (a config change can remove one).</summary>
    public bool Knows(int meter, int point) =>
        meter >= 0 && meter < _meterIds.Length && point >= 0 && point < _pointIds[meter].Length;

    public string MeterId(int meter) => _meterIds[meter];

    public string PointId(int meter, int point) => _pointIds[meter][point];

    public string Unit(int meter, int point) => _units[meter][point];
}
