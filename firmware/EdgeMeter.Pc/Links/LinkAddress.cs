using System.Globalization;
using System.IO.Ports;

namespace EdgeMeter.Pc.Links;

/// <summary>
/// One syntax for every link a command or a config names:
/// <c>serial:///dev/ttyUSB0?baud=2400&amp;parity=even&amp;data=8&amp;stop=1</c>, <c>tcp://127.0.0.1:4001</c> (a serial
/// server) or <c>modbus-tcp://10.0.5.20:502</c> (a Modbus TCP server; the port defaults to 502).
/// Serial defaults are DL/T 645's: 2400 baud, 8 data bits, even parity, 1 stop bit.
/// </summary>
public sealed record LinkAddress
{
    public const int DefaultBaud = 2400;

    private LinkAddress(LinkKind kind, string target, int port, int baud, Parity parity, int dataBits, StopBits stopBits)
    {
        Kind = kind;
        Target = target;
        Port = port;
        Baud = baud;
        Parity = parity;
        DataBits = dataBits;
        StopBits = stopBits;
    }

    public LinkKind Kind { get; }

    /// <summary>The serial device path, or the TCP host.</summary>
    public string Target { get; }

    /// <summary>The TCP port (0 for serial links).</summary>
    public int Port { get; }

    public int Baud { get; }

    public Parity Parity { get; }

    public int DataBits { get; }

    public StopBits StopBits { get; }

    /// <summary>Start bit + data bits + parity bit + stop bits: what one byte costs on the wire.</summary>
    public int BitsPerCharacter =>
        1 + DataBits + (Parity == Parity.None ? 0 : 1) + (StopBits == StopBits.Two ? 2 : 1);

    /// <summary>Parses a link; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static LinkAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("serial://", StringComparison.Ordinal))
        {
            return ParseSerial(text);
        }

        if (text.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return ParseTcp(text, LinkKind.Tcp);
        }

        if (text.StartsWith("modbus-tcp://", StringComparison.Ordinal))
        {
            return ParseTcp(text, LinkKind.ModbusTcp);
        }

        throw new FormatException($"link '{text}' must start with serial://, tcp:// or modbus-tcp:// (e.g. serial:///dev/ttyUSB0?baud=2400&parity=even, tcp://127.0.0.1:4001 or modbus-tcp://10.0.5.20:502)");
    }

    public LinkAddress WithBaud(int baud) =>
        new(Kind, Target, Port, CheckBaud(baud, ToString()), Parity, DataBits, StopBits);

    public override string ToString() => Kind != LinkKind.Serial
        ? $"{(Kind == LinkKind.Tcp ? "tcp" : "modbus-tcp")}://{(Target.Contains(':', StringComparison.Ordinal) ? $"[{Target}]" : Target)}:{Port}"
        : $"serial://{Target}?baud={Baud}&parity={Parity.ToString().ToLowerInvariant()}&data={DataBits}&stop={(StopBits == StopBits.Two ? 2 : 1)}";

    private static LinkAddress ParseTcp(string text, LinkKind kind)
    {
        var modbus = kind == LinkKind.ModbusTcp;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Port <= 0 && !(modbus && uri.IsDefaultPort)) || string.IsNullOrEmpty(uri.Host)
            || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length != 0) || uri.Query.Length != 0)
        {
            throw new FormatException($"link '{text}' is not {(modbus ? "modbus-tcp://HOST[:PORT]" : "tcp://HOST:PORT")}");
        }

        var port = uri.Port > 0 ? uri.Port : ModbusTcpPort;
        return new LinkAddress(kind, uri.Host.Trim('[', ']'), port, modbus ? 0 : DefaultBaud, Parity.None, 8, StopBits.One);
    }

    /// <summary>The port IANA assigned to Modbus TCP.</summary>
    public const int ModbusTcpPort = 502;

    private static LinkAddress ParseSerial(string text)
    {
        var rest = text["serial://".Length..];
        var query = string.Empty;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }

        if (rest.Length == 0)
        {
            throw new FormatException($"link '{text}' names no serial device (e.g. serial:///dev/ttyUSB0)");
        }

        int baud = DefaultBaud, dataBits = 8;
        var parity = Parity.Even;
        var stopBits = StopBits.One;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            switch (key)
            {
                case "baud":
                    baud = CheckBaud(ParseInt(text, key, value), text);
                    break;
                case "parity":
                    parity = ParseParity(text, value);
                    break;
                case "data":
                    dataBits = ParseInt(text, key, value);
                    if (dataBits is < 7 or > 8)
                    {
                        throw new FormatException($"link '{text}': data={value} must be 7 or 8");
                    }

                    break;
                case "stop":
                    stopBits = value switch
                    {
                        "1" => StopBits.One,
                        "2" => StopBits.Two,
                        _ => throw new FormatException($"link '{text}': stop={value} must be 1 or 2"),
                    };
                    break;
                default:
                    throw new FormatException($"link '{text}': unknown setting '{key}' (known: baud, parity, data, stop)");
            }
        }

        return new LinkAddress(LinkKind.Serial, rest, 0, baud, parity, dataBits, stopBits);
    }

    private static int ParseInt(string text, string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"link '{text}': {key}={value} is not a whole number");

    private static int CheckBaud(int baud, string text) =>
        baud is >= 300 and <= 921_600 ? baud : throw new FormatException($"link '{text}': baud {baud} is outside 300..921600");

    private static Parity ParseParity(string text, string value) => value switch
    {
        "none" or "n" => Parity.None,
        "even" or "e" => Parity.Even,
        "odd" or "o" => Parity.Odd,
        _ => throw new FormatException($"link '{text}': parity={value} must be none, even or odd"),
    };
}

public enum LinkKind
{
    Serial,

    /// <summary>A transparent serial server: the bus's bytes over TCP.</summary>
    Tcp,

    /// <summary>A Modbus TCP server: MBAP frames, no bus behind the connection as far as the master can tell.</summary>
    ModbusTcp,
}
