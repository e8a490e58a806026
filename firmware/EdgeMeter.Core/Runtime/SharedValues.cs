using System.Collections;

namespace EdgeMeter.Core.Runtime;

/// <summary>
/// At start-up, one object for equal values the configuration repeats: meters of one model read the same data
/// identifiers and name their points and units alike, and each meter's copy would otherwise stay on the heap after
/// the configuration is freed (84 bytes per 16 identifiers, 16-30 bytes per string on nanoFramework).
/// </summary>
internal sealed class SharedValues
{
    private readonly ArrayList _rows = new ArrayList();
    private readonly ArrayList _texts = new ArrayList();

    /// <summary>An earlier row with the same identifiers, or this one (kept for the next).</summary>
    public uint[] Row(uint[] row)
    {
        foreach (uint[] earlier in _rows)
        {
            if (SameRow(earlier, row))
            {
                return earlier;
            }
        }

        _rows.Add(row);
        return row;
    }

    /// <summary>An earlier string with the same text, or this one (kept for the next).</summary>
    public string Text(string text)
    {
        foreach (string earlier in _texts)
        {
            if (earlier == text)
            {
                return earlier;
            }
        }

        _texts.Add(text);
        return text;
    }

    private static bool SameRow(uint[] a, uint[] b)
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
}
