using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `platform protect-password` and `platform check`: try a province's settings before going live, with the same
/// code the relay uses, uploading nothing.
/// </summary>
internal static class PlatformVerb
{
    public static Command Create(TextWriter output, TextReader input)
    {
        var platform = new Command("platform", "Try an HTTP platform's settings (password protection, trust, login) without uploading.");
        platform.Subcommands.Add(ProtectPassword(output, input));
        platform.Subcommands.Add(Check(output));
        return platform;
    }

    private static Command ProtectPassword(TextWriter output, TextReader input)
    {
        var config = RunVerb.ConfigOption(required: true);
        var name = PlatformOption();
        var command = new Command("protect-password", "Read a password on standard input and print what requestAK would send for it.") { config, name };
        command.SetAction(parse =>
        {
            var http = HttpPlatform(ConfigLoader.Load(parse.GetValue(config)!), parse.GetValue(name)!).Http!;
            var password = input.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException("no password on standard input", ExitCodes.Usage);
            }

            if (http.PasswordProtection is not { } sm4)
            {
                throw new CliException($"platform {parse.GetValue(name)} has no Http.PasswordProtection: the password is sent as configured", ExitCodes.Usage);
            }

            try
            {
                output.WriteLine(new Sm4PasswordProtector(sm4).Protect(password, ""));
            }
            catch (FormatException problem)
            {
                throw new CliException(problem.Message, ExitCodes.Usage);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var name = PlatformOption();
        var enterprise = new Option<string>("--enterprise") { Description = "Only this enterprise (default: every enterprise routed to the platform)." };
        var command = new Command("check", "Log in to the platform, ask checkVersion and print the versions and the token's validity.") { config, name, enterprise };
        command.SetAction(async (parse, cancellation) =>
        {
            var options = ConfigLoader.Load(parse.GetValue(config)!);
            var chosen = HttpPlatform(options, parse.GetValue(name)!);
            var enterprises = Routing.From(options).EnterprisesOf(chosen.Name);
            if (parse.GetValue(enterprise) is { } only)
            {
                enterprises = enterprises.Contains(only)
                    ? [only]
                    : throw new CliException($"--enterprise {only} is not routed to platform {chosen.Name} (routed: {string.Join(", ", enterprises)})", ExitCodes.Usage);
            }

            if (enterprises.Count == 0)
            {
                throw new CliException($"no enterprise is routed to platform {chosen.Name}", ExitCodes.Usage);
            }

            using var http = PlatformTransport.Create(chosen.Http!);
            var failed = 0;
            foreach (var code in enterprises)
            {
                failed += await CheckOneAsync(http, chosen, code, output, cancellation) ? 0 : 1;
            }

            return failed == 0
                ? ExitCodes.Ok
                : throw new CliException($"{failed} of {enterprises.Count} enterprises could not log in to {chosen.Name}", ExitCodes.Failure);
        });
        return command;
    }

    private static async Task<bool> CheckOneAsync(HttpClient http, PlatformOptions platform, string enterprise, TextWriter output, CancellationToken cancellation)
    {
        var client = new PlatformUploadClient(http, HttpTier.ClientOptions(platform, enterprise));
        try
        {
            var versions = await client.CheckVersionAsync(cancellation);
            var token = client.CurrentToken!;
            output.WriteLine($"{platform.Name} {enterprise}: logged in at {platform.Http!.BaseAddress}");
            output.WriteLine($"  token valid from {Beijing(token.ValidFrom)} until {Beijing(token.ExpiresAt)} (Beijing time)");
            output.WriteLine($"  enterpriseUploadTime {token.EnterpriseUploadTime ?? "(none)"}, platformURL {token.PlatformUrl ?? "(none)"}");
            output.WriteLine($"  regVersion {versions.RegVersion}, dicVersion {versions.DicVersion}");
            return true;
        }
        catch (PlatformCallException failure)
        {
            output.WriteLine($"{platform.Name} {enterprise}: FAILED ({failure.Outcome.Code}): {failure.Outcome.Reason}");
            output.WriteLine($"  {Hint(failure.Outcome)}");
            return false;
        }
    }

    // What to look at first, by what the failure looked like (docs/platform-upload.md, "Going live").
    private static string Hint(UploadOutcome outcome) => outcome.Reason switch
    {
        var r when r.Contains("certificate", StringComparison.OrdinalIgnoreCase) || r.Contains("SSL", StringComparison.Ordinal)
            => "hint: TLS: check CaBundleFile/TrustSystemStore (the platform's CA) and ClientCertificateFile (mutual TLS)",
        var r when r.Contains("timeout", StringComparison.OrdinalIgnoreCase) || r.Contains("network", StringComparison.OrdinalIgnoreCase)
            => "hint: network: check BaseAddress, Proxy and the firewall towards the platform",
        _ when outcome.Code is 401 or 403
            => "hint: login refused: check the enterprise code, the password and PasswordProtection (key, mode, padding, encodings)",
        _ => "hint: see docs/platform-upload.md, \"Going live\"",
    };

    private static string Beijing(DateTimeOffset? instant) =>
        instant is { } at ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "(not given)";

    private static PlatformOptions HttpPlatform(ReceiverOptions options, string name)
    {
        var platform = options.Platforms.FirstOrDefault(p => p.Name == name)
            ?? throw new CliException($"--platform {name}: no such platform (configured: {string.Join(", ", options.Platforms.Select(p => p.Name))})", ExitCodes.Usage);
        return platform.Http is not null ? platform : throw new CliException($"--platform {name} is an MQTT platform; these commands are for HTTP platforms", ExitCodes.Usage);
    }

    private static Option<string> PlatformOption() => new("--platform") { Description = "The platform's Name in the configuration.", Required = true };
}
