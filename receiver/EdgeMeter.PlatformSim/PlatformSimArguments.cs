using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Platform;

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
          --enterprise CODE=PASS   an accepted enterprise (repeatable); default 91530100MA6NXKB7X1=edgemeter-demo
          --token-lifetime SECS    token validity (default 7200)
          --store FILE             JSON-lines file of accepted records, reloaded at start
          --reg-version V          current configuration version (default 1.0)
          --dic-version V          current dictionary version (default 1.0)
          --max-batch N            largest accepted batch (default 100)
          --seed N                 seed for fractional fault injection (default 1)
          --data-code CODE         a registered data item (repeatable); once any is given, others are refused (422)
          --password-sm4 SPEC      require SM4-protected requestAK passwords, e.g.
                                   mode=cbc,key=HEX32,iv=HEX32,padding=pkcs7,input=utf8,output=base64
                                   (mode ecb|cbc, padding pkcs7|zero, key-encoding hex|base64|utf8,
                                   input utf8|hex|base64, output hex|hexupper|base64)
          --tls-cert FILE          serve HTTPS (give https:// --urls): a .pfx, or a PEM certificate with --tls-key
          --tls-key FILE           PEM private key of --tls-cert
          --tls-password PASS      password of a .pfx --tls-cert
          --client-ca FILE         require a client certificate issued by a CA in this PEM bundle (mutual TLS)
          --verbose                one log line per request
          --help                   this text
        """;

    public static PlatformSimCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new PlatformSimOptions();
        var urls = new List<string>();
        var help = false;
        string? tlsCert = null, tlsKey = null, tlsPassword = null;
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
                case "--data-code": options.RegisteredDataCodes.Add(Value()); break;
                case "--password-sm4": options.PasswordProtection = Sm4PasswordOptions.Parse(Value()); break;
                case "--tls-cert": tlsCert = Value(); break;
                case "--tls-key": tlsKey = Value(); break;
                case "--tls-password": tlsPassword = Value(); break;
                case "--client-ca": options.ClientCertificateAuthorities = Certificates("--client-ca", Value()); break;
                default: throw new FormatException($"unknown option '{args[i]}' (see --help)");
            }
        }

        if (tlsCert is not null)
        {
            options.ServerCertificate = ServerCertificate(tlsCert, tlsKey, tlsPassword);
        }
        else if (tlsKey is not null || tlsPassword is not null || options.ClientCertificateAuthorities is not null)
        {
            throw new FormatException("--tls-key, --tls-password and --client-ca need --tls-cert");
        }

        return new PlatformSimCommandLine(options, urls.Count > 0 ? urls : [DefaultUrl], help);
    }

    private static X509Certificate2 ServerCertificate(string path, string? keyPath, string? password)
    {
        try
        {
            return CertificateFiles.LoadWithKey(path, password, keyPath);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new FormatException($"--tls-cert {path}: {failure.Message}");
        }
    }

    private static X509Certificate2Collection Certificates(string name, string path)
    {
        try
        {
            return CertificateFiles.LoadBundle(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new FormatException($"{name} {path}: {failure.Message}");
        }
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

        if (CreditCode.Problem(code) is { } invalid)
        {
            throw new FormatException($"--enterprise code {invalid}");
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
