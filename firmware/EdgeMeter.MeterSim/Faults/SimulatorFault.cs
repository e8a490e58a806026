using System.Globalization;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.MeterSim.Faults;

public enum SimulatorFaultKind
{
    /// <summary>The meter stays silent.</summary>
    NoReply,

    /// <summary>The reply goes out with a wrong DL/T 645 CS or Modbus CRC.</summary>
    BadChecksum,

    /// <summary>The reply goes out <see cref="SimulatorFault.DelayMilliseconds"/> late.</summary>
    Slow,

    /// <summary>The meter answers with an error reply: DL/T 645 "other error", Modbus exception 04 (server device failure).</summary>
    ErrorReply,
}

/// <summary>
/// A fault the simulator injects into its replies, for one meter or all, for every request or a fraction of them.
/// Text form: <c>KIND[=MS][@TARGET[,TARGET]]</c> where KIND is no-reply, bad-checksum, slow=MS or error-reply and a
/// TARGET is a meter (<c>modbus:1</c>) or a fraction of requests (<c>0.25</c> or <c>25%</c>).
/// Examples: <c>no-reply@dlt645:123456789012</c>, <c>bad-checksum@0.1</c>, <c>slow=1500@modbus:1,50%</c>.
/// </summary>
public sealed record SimulatorFault(SimulatorFaultKind Kind, MeterSpec? Meter = null, double Fraction = 1.0, int DelayMilliseconds = 0)
{
    public const string Syntax = "KIND[=MS][@METER|@FRACTION] with KIND no-reply, bad-checksum, slow=MS or error-reply (e.g. no-reply@modbus:1, bad-checksum@0.1, slow=1500@dlt645:123456789012,50%)";

    /// <summary>Does this fault concern a request to <paramref name="meter"/>? (The fraction is drawn separately.)</summary>
    public bool Targets(MeterSpec meter) => Meter == null || Meter == meter;

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static SimulatorFault Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var head = at < 0 ? text : text[..at];
        var equals = head.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? head : head[..equals];
        var kind = name switch
        {
            "no-reply" => SimulatorFaultKind.NoReply,
            "bad-checksum" => SimulatorFaultKind.BadChecksum,
            "slow" => SimulatorFaultKind.Slow,
            "error-reply" => SimulatorFaultKind.ErrorReply,
            _ => throw new FormatException($"fault '{text}': unknown kind '{name}'; expected {Syntax}"),
        };

        var delay = 0;
        if (kind == SimulatorFaultKind.Slow)
        {
            if (equals < 0 || !int.TryParse(head[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out delay) || delay > 600_000)
            {
                throw new FormatException($"fault '{text}': slow needs a delay in milliseconds, e.g. slow=1500");
            }
        }
        else if (equals >= 0)
        {
            throw new FormatException($"fault '{text}': only slow takes a value (slow=MS)");
        }

        MeterSpec? meter = null;
        var fraction = 1.0;
        if (at >= 0)
        {
            foreach (var target in text[(at + 1)..].Split(','))
            {
                if (TryParseFraction(target, out var parsed))
                {
                    fraction = parsed;
                }
                else if (target.Contains(':', StringComparison.Ordinal))
                {
                    meter = MeterSpec.Parse(target);
                }
                else
                {
                    throw new FormatException($"fault '{text}': target '{target}' is neither a meter (modbus:1) nor a fraction (0.25 or 25%)");
                }
            }
        }

        return new SimulatorFault(kind, meter, fraction, delay);
    }

    public override string ToString()
    {
        var kind = Kind switch
        {
            SimulatorFaultKind.NoReply => "no-reply",
            SimulatorFaultKind.BadChecksum => "bad-checksum",
            SimulatorFaultKind.Slow => $"slow={DelayMilliseconds.ToString(CultureInfo.InvariantCulture)}",
            _ => "error-reply",
        };
        var targets = new List<string>();
        if (Meter != null)
        {
            targets.Add(Meter.ToString());
        }

        if (Fraction < 1.0)
        {
            targets.Add(Fraction.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return targets.Count == 0 ? kind : $"{kind}@{string.Join(',', targets)}";
    }

    private static bool TryParseFraction(string text, out double fraction)
    {
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        fraction = 0;
        if (number.Length == 0 || !char.IsAsciiDigit(number[0])
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        fraction = percent ? value / 100 : value;
        if (fraction is <= 0 or > 1)
        {
            throw new FormatException($"fault fraction '{text}' must be above 0 and at most 1 (or 100%)");
        }

        return true;
    }
}
