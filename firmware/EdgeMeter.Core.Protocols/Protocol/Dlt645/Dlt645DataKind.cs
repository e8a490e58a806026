namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>How the data bytes of a data identifier are to be read.</summary>
public enum Dlt645DataKind
{
    /// <summary>One BCD number with fixed decimals (and a sign bit when signed).</summary>
    Numeric = 0,

    /// <summary>Several BCD numbers of the same format back to back (total first, then tariffs or phases).</summary>
    Block,

    /// <summary>Date and weekday, <c>YYMMDDWW</c> (on the wire <c>WW DD MM YY</c>); weekday 0 is Sunday.</summary>
    Date,

    /// <summary>Time of day, <c>hhmmss</c> (on the wire <c>ss mm hh</c>).</summary>
    Time,

    /// <summary>Twelve BCD digits, lowest byte first, like a meter address.</summary>
    Address,
}
