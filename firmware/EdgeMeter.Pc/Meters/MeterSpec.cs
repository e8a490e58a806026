using System.Globalization;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;

namespace EdgeMeter.Pc.Meters;

/// <summary>
/// One meter on a bus, as commands and configs name it: <c>dlt645:123456789012</c> (DL/T 645-2007),
/// <c>dlt645-1997:123456789012</c>, <c>modbus:1</c> (Modbus RTU unit 1..247) or a CJ/T 188 meter by type and 14-digit
/// address: <c>cjt188-water:00002020120218</c>, <c>cjt188-gas:...</c>, <c>cjt188-heat:...</c>. Its text form is
/// canonical: addresses are padded, units written without leading zeros.
/// </summary>
public sealed record MeterSpec
{
    public const int MinModbusUnit = 1;
    public const int MaxModbusUnit = 247;

    private MeterSpec(MeterProtocol protocol, Dlt645Address address, byte unit, Cjt188Address cjt188Address = default)
    {
        Protocol = protocol;
        Address = address;
        Unit = unit;
        Cjt188Address = cjt188Address;
    }

    public MeterProtocol Protocol { get; }

    /// <summary>The DL/T 645 address (default for Modbus meters).</summary>
    public Dlt645Address Address { get; }

    /// <summary>The Modbus unit id (0 for DL/T 645 meters).</summary>
    public byte Unit { get; }

    /// <summary>The CJ/T 188 address (default for other meters).</summary>
    public Cjt188Address Cjt188Address { get; }

    public bool IsDlt645 => Protocol is MeterProtocol.Dlt645V2007 or MeterProtocol.Dlt645V1997;

    public bool IsModbus => Protocol == MeterProtocol.Modbus;

    public bool IsCjt188 => Protocol is MeterProtocol.Cjt188Water or MeterProtocol.Cjt188Gas or MeterProtocol.Cjt188Heat;

    /// <summary>The CJ/T 188 meter type byte: 10H cold water, 30H gas, 20H heat.</summary>
    public byte Cjt188Type => Protocol switch
    {
        MeterProtocol.Cjt188Water => Cjt188MeterType.ColdWater,
        MeterProtocol.Cjt188Gas => Cjt188MeterType.Gas,
        MeterProtocol.Cjt188Heat => Cjt188MeterType.Heat,
        _ => 0,
    };

    public static MeterSpec Cjt188(MeterProtocol protocol, Cjt188Address address) => protocol is MeterProtocol.Cjt188Water or MeterProtocol.Cjt188Gas or MeterProtocol.Cjt188Heat
        ? new MeterSpec(protocol, default, 0, address)
        : throw new ArgumentOutOfRangeException(nameof(protocol), "not a CJ/T 188 meter type");

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
            throw new FormatException($"meter '{text}' must be dlt645:ADDRESS, dlt645-1997:ADDRESS, modbus:UNIT or cjt188-water|gas|heat:ADDRESS (e.g. dlt645:123456789012, modbus:1, cjt188-water:00002020120218)");
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
            case "cjt188-water":
            case "cjt188-gas":
            case "cjt188-heat":
                if (!Core.Protocol.Cjt188.Cjt188Address.TryParse(rest, out var cjt188) || cjt188.IsBroadcast)
                {
                    throw new FormatException($"meter '{text}': a CJ/T 188 address is 14 hex digits, A6 first (e.g. 00002020120218)");
                }

                return Cjt188(kind switch { "cjt188-water" => MeterProtocol.Cjt188Water, "cjt188-gas" => MeterProtocol.Cjt188Gas, _ => MeterProtocol.Cjt188Heat }, cjt188);
            default:
                throw new FormatException($"meter '{text}': unknown protocol '{kind}' (known: dlt645, dlt645-1997, modbus, cjt188-water, cjt188-gas, cjt188-heat)");
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
        MeterProtocol.Cjt188Water => $"cjt188-water:{Cjt188Address}",
        MeterProtocol.Cjt188Gas => $"cjt188-gas:{Cjt188Address}",
        MeterProtocol.Cjt188Heat => $"cjt188-heat:{Cjt188Address}",
        _ => $"modbus:{Unit.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>A short description of the protocol, for listings.</summary>
    public string ProtocolName => Protocol switch
    {
        MeterProtocol.Dlt645V2007 => "DL/T 645-2007",
        MeterProtocol.Dlt645V1997 => "DL/T 645-1997",
        MeterProtocol.Cjt188Water => "CJ/T 188 water",
        MeterProtocol.Cjt188Gas => "CJ/T 188 gas",
        MeterProtocol.Cjt188Heat => "CJ/T 188 heat",
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
    Cjt188Water,
    Cjt188Gas,
    Cjt188Heat,
}
