using System.Globalization;
using EdgeMeter.Core.Protocol.Dlt645;

namespace EdgeMeter.Pc.Meters;

/// <summary>
/// One meter on a bus, as commands and configs name it: <c>dlt645:123456789012</c> (DL/T 645-2007),
/// <c>dlt645-1997:123456789012</c> or <c>modbus:1</c> (Modbus RTU unit 1..247). Its text form is canonical:
/// addresses are padded to 12 digits, units written without leading zeros.
/// </summary>
public sealed record MeterSpec
{
    public const int MinModbusUnit = 1;
    public const int MaxModbusUnit = 247;

    private MeterSpec(MeterProtocol protocol, Dlt645Address address, byte unit)
    {
        Protocol = protocol;
        Address = address;
        Unit = unit;
    }

    public MeterProtocol Protocol { get; }

    /// <summary>The DL/T 645 address (default for Modbus meters).</summary>
    public Dlt645Address Address { get; }

    /// <summary>The Modbus unit id (0 for DL/T 645 meters).</summary>
    public byte Unit { get; }

    public bool IsDlt645 => Protocol != MeterProtocol.Modbus;

    /// <summary>The DL/T 645 edition of a DL/T 645 meter.</summary>
    public Dlt645Version Dlt645Version => Protocol == MeterProtocol.Dlt645V1997 ? Dlt645Version.V1997 : Dlt645Version.V2007;

    public static MeterSpec Dlt645(Dlt645Address address, Dlt645Version version = Dlt645Version.V2007) =>
        new(version == Dlt645Version.V1997 ? MeterProtocol.Dlt645V1997 : MeterProtocol.Dlt645V2007, address, 0);

    public static MeterSpec Modbus(int unit) => unit is >= MinModbusUnit and <= MaxModbusUnit
        ? new MeterSpec(MeterProtocol.Modbus, default, (byte)unit)
        : throw new ArgumentOutOfRangeException(nameof(unit), $"a Modbus unit is {MinModbusUnit}..{MaxModbusUnit}");

    /// <summary>Parses a meter; throws <see cref="FormatException"/> with a message naming what is wrong.</summary>
    public static MeterSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException($"meter '{text}' must be dlt645:ADDRESS, dlt645-1997:ADDRESS or modbus:UNIT (e.g. dlt645:123456789012, modbus:1)");
        }

        var kind = text[..colon];
        var rest = text[(colon + 1)..];
        switch (kind)
        {
            case "dlt645":
            case "dlt645-2007":
                return Dlt645(ParseAddress(text, rest), Dlt645Version.V2007);
            case "dlt645-1997":
                return Dlt645(ParseAddress(text, rest), Dlt645Version.V1997);
            case "modbus":
                if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var unit)
                    || unit < MinModbusUnit || unit > MaxModbusUnit)
                {
                    throw new FormatException($"meter '{text}': a Modbus unit is a number {MinModbusUnit}..{MaxModbusUnit}");
                }

                return Modbus(unit);
            default:
                throw new FormatException($"meter '{text}': unknown protocol '{kind}' (known: dlt645, dlt645-1997, modbus)");
        }
    }

    public static bool TryParse(string text, out MeterSpec? spec)
    {
        try
        {
            spec = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            spec = null;
            return false;
        }
    }

    public override string ToString() => Protocol switch
    {
        MeterProtocol.Dlt645V2007 => $"dlt645:{Address}",
        MeterProtocol.Dlt645V1997 => $"dlt645-1997:{Address}",
        _ => $"modbus:{Unit.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>A short description of the protocol, for listings.</summary>
    public string ProtocolName => Protocol switch
    {
        MeterProtocol.Dlt645V2007 => "DL/T 645-2007",
        MeterProtocol.Dlt645V1997 => "DL/T 645-1997",
        _ => "Modbus RTU",
    };

    private static Dlt645Address ParseAddress(string text, string digits)
    {
        // Meters are named by their full nameplate address; wildcard nibbles belong to requests, not meters.
        if (digits.Length != Dlt645Address.TextLength || !digits.All(char.IsAsciiDigit)
            || !Dlt645Address.TryParse(digits, out var address))
        {
            throw new FormatException($"meter '{text}': a DL/T 645 address is 12 decimal digits (e.g. 123456789012)");
        }

        return address;
    }
}

public enum MeterProtocol
{
    Dlt645V2007,
    Dlt645V1997,
    Modbus,
}
