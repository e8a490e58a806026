using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Update;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter release keygen|sign`: the fleet's release key, and a signed update manifest with its files in one
/// directory that any web server can serve; prints the firmware-update command's arguments (nf-boards.md, section 10).
/// </summary>
public static class ReleaseVerb
{
    /// <summary>The key file's entry name: the release key belongs to the fleet, not to a gateway.</summary>
    public const string KeyName = "release";

    public static Command Create(CliConsole console)
    {
        var release = new Command("release", "Make the fleet's release key and signed firmware-update manifests.");
        release.Subcommands.Add(Keygen(console));
        release.Subcommands.Add(Sign(console));
        return release;
    }

    private static Command Keygen(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "The key file to write (mode 0600; keep it off the receiver and the gateways' hosts).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file (every gateway must then get the new one)." };
        var keygen = new Command("keygen", "Make the fleet's release key (key-file format, one entry).") { output, force };
        keygen.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            if (File.Exists(path) && !parse.GetValue(force))
            {
                throw new CliException($"--out {path} exists; a new release key means redeploying it to every gateway (--force)", ExitCodes.Usage);
            }

            KeyFile.Write(path, [new KeyEntry(KeyName, 1, RandomNumberGenerator.GetBytes(32))]);
            console.Out.WriteLine($"wrote {path}: deploy it with edgemeter provision --release-key {path} (a PC gateway: DATA/release-key.json)");
            return ExitCodes.Ok;
        });
        return keygen;
    }

    private static Command Sign(CliConsole console)
    {
        var key = new Option<string>("--key") { Description = "The release key file (edgemeter release keygen).", Required = true };
        var version = new Option<string>("--version") { Description = "The application version (letters, digits, . - _), a new major.minor per release.", Required = true };
        var entry = new Option<string>("--entry") { Description = "The type whose static Run() starts the version.", DefaultValueFactory = _ => "EdgeMeter.Firmware.Program" };
        var url = new Option<string>("--url") { Description = "Where the directory will be served, e.g. https://updates.plant.local/edgemeter/1.5.0/", Required = true };
        var output = new Option<string>("--out") { Description = "The directory to write: manifest.txt, the files, firmware-update.json.", Required = true };
        var files = new Argument<string[]>("FILE") { Description = ".pe files in load order (dependencies first).", Arity = ArgumentArity.OneOrMore };
        var sign = new Command("sign", "Write a signed manifest and its files into a directory to serve, and print the firmware-update arguments.") { key, version, entry, url, output, files };
        sign.SetAction(parse =>
        {
            var releaseKey = ReadKey(parse.GetValue(key)!);
            var (name, baseUrl, directory) = (parse.GetValue(version)!, BaseUrl(parse.GetValue(url)!), parse.GetValue(output)!);
            var manifest = Manifest(name, parse.GetValue(entry)!, parse.GetValue(files)!);
            Directory.CreateDirectory(directory);
            foreach (var file in parse.GetValue(files)!)
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
            }

            File.WriteAllBytes(Path.Combine(directory, "manifest.txt"), manifest);
            var arguments = new JsonObject
            {
                ["url"] = baseUrl + "manifest.txt",
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(manifest)),
                ["signature"] = ReleaseManifest.Sign(manifest, manifest.Length, releaseKey, new DotNetPacketMac()),
            };
            var command = new JsonObject { ["name"] = "firmware-update", ["args"] = arguments, ["ttlSeconds"] = 3600 };
            File.WriteAllText(Path.Combine(directory, "firmware-update.json"), command.ToJsonString() + "\n");
            console.Out.WriteLine($"wrote {directory}: manifest.txt, {parse.GetValue(files)!.Length} file(s), firmware-update.json");
            console.Out.WriteLine($"serve it at {baseUrl}, then send the command: POST /admin/gateways/GATEWAY/commands with firmware-update.json");
            console.Out.WriteLine(command.ToJsonString());
            return ExitCodes.Ok;
        });
        return sign;
    }

    private static byte[] Manifest(string version, string entry, string[] files)
    {
        var text = new StringBuilder($"{UpdateManifest.Header}\nversion {version}\nentry {entry}\n");
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"{file} does not exist", ExitCodes.Usage);
            }

            var bytes = File.ReadAllBytes(file);
            text.Append($"file {Convert.ToHexStringLower(SHA256.HashData(bytes))} {bytes.Length} {Path.GetFileName(file)}\n");
        }

        // The gateway's own parser is the judge of what it will accept.
        var manifest = Encoding.UTF8.GetBytes(text.ToString());
        if (UpdateManifest.Parse(text.ToString(), out var error) is null || manifest.Length > ReleaseManifest.MaxBytes)
        {
            throw new CliException($"the gateway would refuse this manifest: {(error.Length > 0 ? error : $"larger than {ReleaseManifest.MaxBytes} bytes")}", ExitCodes.Usage);
        }

        return manifest;
    }

    private static byte[] ReadKey(string path)
    {
        try
        {
            var entries = KeyFile.Read(path);
            return entries.Count == 1 ? entries[0].Key : throw new CliException($"--key {path} must hold exactly one key, not {entries.Count}", ExitCodes.Usage);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"--key {path}: {failure.Message}", ExitCodes.Usage);
        }
    }

    private static string BaseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.AbsoluteUri.TrimEnd('/') + "/"
            : throw new CliException($"--url '{url}' is not an http(s) address", ExitCodes.Usage);
}
