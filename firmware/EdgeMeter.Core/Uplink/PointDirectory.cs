using EdgeMeter.Core.Config;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// Turns the buffer's compact (meter index, point index) back into the ids and units a packet carries: the
/// buffer stores small integers, the wire carries the configuration's names. Meters of one model repeat the same point
/// ids and units: a row equal to an earlier meter's is that row, and each distinct text is kept once (the
/// configuration's copies are freed after start-up).
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
            var ids = new string[points.Length];
            var units = new string[points.Length];
            for (var p = 0; p < points.Length; p++)
            {
                ids[p] = points[p].Id;
                units[p] = points[p].Unit;
            }

            _meterIds[m] = meters[m].Id;
            _pointIds[m] = Shared(_pointIds, m, ids);
            _units[m] = Shared(_units, m, units);
        }
    }

    public int MeterCount => _meterIds.Length;

    // An earlier meter's equal row (meters of one model list the same points), else this row with each text shared
    // with an equal one kept before. Start-up only: at most one comparison per pair of points (32,640 for 16 x 16).
    private static string[] Shared(string[][] earlier, int meter, string[] row)
    {
        for (var m = 0; m < meter; m++)
        {
            if (SameTexts(earlier[m], row))
            {
                return earlier[m];
            }
        }

        for (var p = 0; p < row.Length; p++)
        {
            row[p] = SharedText(earlier, meter, row, p);
        }

        return row;
    }

    private static string SharedText(string[][] earlier, int meter, string[] row, int point)
    {
        for (var m = 0; m < meter; m++)
        {
            var kept = earlier[m];
            for (var p = 0; p < kept.Length; p++)
            {
                if (kept[p] == row[point])
                {
                    return kept[p];
                }
            }
        }

        for (var p = 0; p < point; p++)
        {
            if (row[p] == row[point])
            {
                return row[p];
            }
        }

        return row[point];
    }

    private static bool SameTexts(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the buffer's indices still name a configured point (a config change can remove one).</summary>
    public bool Knows(int meter, int point) =>
        meter >= 0 && meter < _meterIds.Length && point >= 0 && point < _pointIds[meter].Length;

    public string MeterId(int meter) => _meterIds[meter];

    public string PointId(int meter, int point) => _pointIds[meter][point];

    public string Unit(int meter, int point) => _units[meter][point];
}
