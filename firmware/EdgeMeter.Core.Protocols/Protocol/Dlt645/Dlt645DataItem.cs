namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>One data identifier (DI) a meter answers, with the format of its value.</summary>
public sealed class Dlt645DataItem
{
    public Dlt645DataItem(
        uint dataIdentifier,
        Dlt645Version version,
        Dlt645DataKind kind,
        int length,
        int decimals,
        bool signed,
        string unit,
        string name,
        int elementLength = 0)
    {
        DataIdentifier = dataIdentifier;
        Version = version;
        Kind = kind;
        Length = length;
        Decimals = decimals;
        Signed = signed;
        Unit = unit;
        Name = name;
        ElementLength = elementLength > 0 ? elementLength : length;
    }

    /// <summary>DI3 DI2 DI1 DI0 as a number (0x02010100); 1997 identifiers use the low 2 bytes (0xB611).</summary>
    public uint DataIdentifier { get; }

    public Dlt645Version Version { get; }

    public Dlt645DataKind Kind { get; }

    /// <summary>Bytes of the value in a reply (for a block: with four tariffs, or three or four phases).</summary>
    public int Length { get; }

    /// <summary>Bytes of one number: equals <see cref="Length"/> except for blocks.</summary>
    public int ElementLength { get; }

    /// <summary>Fixed decimals of the BCD number (XXX.X has 1).</summary>
    public int Decimals { get; }

    /// <summary>Bit7 of the most significant byte is the sign.</summary>
    public bool Signed { get; }

    /// <summary>Unit symbol ("kWh", "V", "degC"), empty when dimensionless.</summary>
    public string Unit { get; }

    /// <summary>A short English name.</summary>
    public string Name { get; }
}
