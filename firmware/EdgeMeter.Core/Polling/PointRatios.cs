using EdgeMeter.Core.Config;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// The primary-side multiplier of each configured point (CT ratio x VT ratio x meter multiplier, `ratio` in the
/// gateway configuration): the one place it lives, applied exactly before a reading is stored, so packets, the
/// commissioning console and the platforms all see primary values.
/// </summary>
public sealed class PointRatios
{
    private readonly FixedDecimal[][] _ratios;
    private readonly bool[][] _isOne;

    public PointRatios(MeterSettings[] meters)
    {
        _ratios = new FixedDecimal[meters.Length][];
        _isOne = new bool[meters.Length][];
        for (var m = 0; m < meters.Length; m++)
        {
            var points = meters[m].Points;
            _ratios[m] = new FixedDecimal[points.Length];
            _isOne[m] = new bool[points.Length];
            for (var p = 0; p < points.Length; p++)
            {
                _ratios[m][p] = points[p].Ratio;
                _isOne[m][p] = points[p].Ratio.ValueEquals(PointSettings.NoRatio);
            }
        }
    }

    /// <summary>The primary value of a point's raw reading; false when it would not fit a FixedDecimal.</summary>
    public bool TryApply(int meter, int point, FixedDecimal raw, out FixedDecimal primary)
    {
        if (meter >= _ratios.Length || point >= _ratios[meter].Length || _isOne[meter][point])
        {
            primary = raw;
            return true;
        }

        return FixedDecimal.TryMultiply(raw, _ratios[meter][point], out primary);
    }
}
