using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Pc.Cli;

/// <summary>Parsers for the values commands share; a bad value is a <see cref="CliException"/> with the usage exit code.</summary>
public static class CliValues
{
    public static LinkAddress Link(string text) => Usage(() => LinkAddress.Parse(text));

    public static MeterSpec Meter(string text) => Usage(() => MeterSpec.Parse(text));

    /// <summary>A data identifier as printed in the tables: 8 hex digits for 2007 (02010100), 4 for 1997 (B611).</summary>
    public static uint DataIdentifier(string text, Dlt645Version version)
    {
        var digits = version == Dlt645Version.V1997 ? 4 : 8;
        if (text.Length != digits
            || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var di))
        {
            var example = version == Dlt645Version.V1997 ? "B611" : "02010100";
            var edition = version == Dlt645Version.V1997 ? "DL/T 645-1997" : "DL/T 645-2007";
            throw new CliException($"DI '{text}' must be {digits} hex digits for a {edition} meter (e.g. {example})", ExitCodes.Usage);
        }

        return di;
    }

    /// <summary>A whole number, decimal or 0x-prefixed hex, within a range.</summary>
    public static int Number(string text, string what, int min, int max)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var ok = hex
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value < min || value > max)
        {
            throw new CliException($"{what} '{text}' must be a number {min}..{max}", ExitCodes.Usage);
        }

        return value;
    }

    /// <summary>A list of numbers and ranges: "1-247", "1,2,10-20".</summary>
    public static IReadOnlyList<int> Ranges(string text, string what, int min, int max)
    {
        var values = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = Number(dash < 0 ? part : part[..dash], what, min, max);
            var last = dash < 0 ? first : Number(part[(dash + 1)..], what, min, max);
            if (last < first)
            {
                throw new CliException($"{what} range '{part}' runs backwards", ExitCodes.Usage);
            }

            for (var value = first; value <= last; value++)
            {
                values.Add(value);
            }
        }

        return [.. values];
    }

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException failure)
        {
            throw new CliException(failure.Message, ExitCodes.Usage);
        }
    }
}
