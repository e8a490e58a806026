using System.Globalization;
using EdgeMeter.PlatformSim.Records;

namespace EdgeMeter.PlatformSim;

/// <summary>The simulator's command line, parsed: options plus the addresses to listen on.</summary>
public sealed record PlatformSimCommandLine(PlatformSimOptions Options, IReadOnlyList<string> Urls, bool Help);

/// <summary>Parses "--name value" / "--name=value" arguments. Throws <see cref="FormatException"/> naming the bad one.</summary>
public static class PlatformSimArguments
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const string Usage = """
        usage: edgemeter-platform-sim [options]
          --urls URL[;URL]         listen addresses (default http://127.0.0.1:5080)
          --port N                 shorthand for --urls http://127.0.0.1:N (0 = any free port)
          --name NAME              provincial (default) or national; shown in logs, stats and records
          --enterprise CODE=PASS   an accepted enterprise (repeatable); default 91530100MA6NXKB7XL=edgemeter-demo
          --token-lifetime SECS    token validity (default 7200)
          --store FILE             JSON-lines file of accepted records, reloaded at start
          --reg-version V          current configuration version (default 1.0)
          --dic-version V          current dictionary version (default 1.0)
          --max-batch N            largest accepted batch (default 100)
          --seed N                 seed for fractional fault injection (default 1)
          --verbose                one log line per request
          --help                   this text
        """;

    public static PlatformSimCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new PlatformSimOptions();
        var urls = new List<string>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value"));

            switch (name)
            {
                case "--help" or "-h": help = true; break;
                case "--verbose" or "-v": options.RequestLog = Console.WriteLine; break;
                case "--urls": urls.AddRange(Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--port": urls.Add($"http://127.0.0.1:{Number(name, Value(), 0, 65535)}"); break;
                case "--name": options.Name = Identifier(name, Value()); break;
                case "--enterprise": AddEnterprise(options, Value()); break;
                case "--token-lifetime": options.TokenLifetime = TimeSpan.FromSeconds(Number(name, Value(), 1, int.MaxValue)); break;
                case "--store": options.StorePath = Value(); break;
                case "--reg-version": options.RegVersion = Value(); break;
                case "--dic-version": options.DicVersion = Value(); break;
                case "--max-batch": options.MaxBatchSize = Number(name, Value(), 1, 100_000); break;
                case "--seed": options.Seed = Number(name, Value(), int.MinValue, int.MaxValue); break;
                default: throw new FormatException($"unknown option '{args[i]}' (see --help)");
            }
        }

        return new PlatformSimCommandLine(options, urls.Count > 0 ? urls : [DefaultUrl], help);
    }

    private static (string Name, string? Value) Split(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    private static void AddEnterprise(PlatformSimOptions options, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var code = equals < 0 ? value : value[..equals];
        if (equals <= 0 || equals == value.Length - 1)
        {
            throw new FormatException($"--enterprise '{value}' is not CODE=PASSWORD");
        }

        if (!RecordValidator.IsCreditCode(code))
        {
            throw new FormatException($"--enterprise code '{code}' is not 18 characters of the unified social credit code alphabet");
        }

        options.Enterprises[code] = value[(equals + 1)..];
    }

    private static int Number(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name} '{text}' is not a whole number in {min}..{max}");

    private static string Identifier(string name, string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? text
            : throw new FormatException($"{name} '{text}' must be letters, digits, '-' or '_'");
}
