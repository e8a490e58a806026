namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>How to address one CJ/T 188 meter: its type, its address, and the DI byte order it wants.</summary>
public sealed class Cjt188Meter
{
    public Cjt188Meter(byte meterType, Cjt188Address address, bool swappedIdentifier)
    {
        MeterType = meterType;
        Address = address;
        SwappedIdentifier = swappedIdentifier;
    }

    public byte MeterType { get; }

    public Cjt188Address Address { get; }

    /// <summary>The meter wants DI 901FH as <c>1F 90</c> (many meters, the 2018 edition) rather than <c>90 1F</c>.</summary>
    public bool SwappedIdentifier { get; }
}
