namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// Byte order of the six BCD bytes of a broadcast time frame (function 08). Public implementations disagree,
/// so it is a meter-profile option.
/// </summary>
public enum Dlt645TimeOrder
{
    /// <summary>The standard's general rule, lowest unit first: <c>ss mm hh DD MM YY</c>. The default.</summary>
    SecondsFirst = 0,

    /// <summary>Reversed, as at least one public implementation sends it: <c>YY MM DD hh mm ss</c>.</summary>
    YearFirst = 1,
}
