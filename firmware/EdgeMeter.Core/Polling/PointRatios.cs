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
    // Per meter, the ratio of each point as mantissa and scale, or null when all its points have none. Not FixedDecimal[]:
    // on nanoFramework every struct element is an object of its own (36 bytes); these cost 9 bytes a point.
    private readonly long[][] _mantissas;
    private readonly byte[][] _scales;

    public PointRatios(MeterSettings[] meters)
    {
        _mantissas = new long[meters.Length][];
        _scales = new byte[meters.Length][];
        for (var m = 0; m < meters.Length; m++)
        {
            var points = meters[m].Points;
            if (!HasRatio(points))
            {
                continue;
            }

            _mantissas[m] = new long[points.Length];
            _scales[m] = new byte[points.Length];
            for (var p = 0; p < points.Length; p++)
            {
                var ratio = points[p].Ratio;
                var isOne = ratio.ValueEquals(PointSettings.NoRatio);
                _mantissas[m][p] = isOne ? 1 : ratio.Mantissa;
                _scales[m][p] = isOne ? NoRatioScale : (byte)ratio.Scale;
            }
        }
    }

    /// <summary>The primary value of a point's raw reading; false when it would not fit a FixedDecimal.</summary>
    public bool TryApply(int meter, int point, FixedDecimal raw, out FixedDecimal primary)
    {
        var mantissas = meter < _mantissas.Length ? _mantissas[meter] : null;
        if (mantissas == null || point >= mantissas.Length || _scales[meter][point] == NoRatioScale)
        {
            primary = raw;
            return true;
        }

        return FixedDecimal.TryMultiply(raw, new FixedDecimal(mantissas[point], _scales[meter][point]), out primary);
    }

    // Marks a point without a ratio: the raw value is stored as read, its scale kept.
    private const byte NoRatioScale = 255;

    private static bool HasRatio(PointSettings[] points)
    {
        for (var p = 0; p < points.Length; p++)
        {
            if (!points[p].Ratio.ValueEquals(PointSettings.NoRatio))
            {
                return true;
            }
        }

        return false;
    }
}
