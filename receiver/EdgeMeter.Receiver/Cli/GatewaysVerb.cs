using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Receiver.Ops;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `gateways import --config C BUNDLE...`: takes in what `edgemeter provision` made for the receiver (key, broker
/// credential hash, enterprise): the key into Keys.File, the gateway into Gateways[] of the configuration file,
/// each audited. Nothing to paste by hand; no secret is printed.
/// </summary>
internal static class GatewaysVerb
{
    public static Command Create(TextWriter output)
    {
        var config = RunVerb.ConfigOption(required: true);
        var enterprise = new Option<string?>("--enterprise") { Description = "The enterprise of bundles that name none (a code of Enterprises[])." };
        var force = new Option<bool>("--force") { Description = "Replace a gateway already configured, and a key of the same version." };
        var bundles = new Argument<string[]>("BUNDLE") { Description = "receiver-bundle.json files written by edgemeter provision.", Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Add provisioned gateways to the configuration and the key file.") { config, enterprise, force, bundles };
        import.SetAction(parse => Import(parse.GetValue(config)!, parse.GetValue(enterprise), parse.GetValue(force), parse.GetValue(bundles)!, output));
        var gateways = new Command("gateways", "Gateways of the configuration.");
        gateways.Subcommands.Add(import);
        gateways.Subcommands.Add(Show(output));
        gateways.Subcommands.Add(SetConfigCommand.Create(output));
        return gateways;
    }

    // What a technician checks during commissioning, read from the running receiver.
    private static Command Show(TextWriter output)
    {
        var (url, token, ca) = (AdminApiClient.UrlOption(), AdminApiClient.TokenFileOption(), AdminApiClient.CaFileOption());
        var id = new Argument<string>("ID") { Description = "The gateway id." };
        var show = new Command("show", "A gateway's state, clock, queue, meters, buses and each point's last value, from the running receiver.") { url, token, ca, id };
        show.SetAction(async (parse, cancellation) =>
        {
            using var client = AdminApiClient.Create(parse, url, token, ca);
            var gateway = await client.GetAsync($"gateways/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellation);
            CommissioningReport.Write(gateway, output);
            return ExitCodes.Ok;
        });
        return show;
    }

    private static int Import(string configPath, string? enterprise, bool force, string[] bundlePaths, TextWriter output)
    {
        var config = ReadConfig(configPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var keyPath = Resolve(directory, (string?)Member(Member(config, "Keys"), "File") ?? "keys.json");
        var keys = File.Exists(keyPath) ? Guard(keyPath, () => KeyFile.Read(keyPath)) : [];
        var enterprises = (Member(config, "Enterprises") as JsonArray ?? []).Select(e => (string?)Member(e, "Code")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var gateways = Member(config, "Gateways") as JsonArray ?? [];
        config[NameOf(config, "Gateways")] = gateways;
        var imported = new List<(GatewayBundle Bundle, string Enterprise)>();
        foreach (var path in bundlePaths)
        {
            var bundle = Guard(path, () => GatewayBundle.Read(path));
            if (enterprise is not null && bundle.Enterprise is not null && enterprise != bundle.Enterprise)
            {
                throw new CliException($"{path}: the bundle is for enterprise {bundle.Enterprise}, not {enterprise} (--enterprise is for bundles that name none)", ExitCodes.Usage);
            }

            var code = bundle.Enterprise ?? enterprise
                ?? throw new CliException($"{path}: the bundle names no enterprise; give --enterprise CODE", ExitCodes.Usage);
            if (!enterprises.Contains(code))
            {
                throw new CliException($"{path}: enterprise {code} is not in Enterprises[] of {configPath} ({string.Join(", ", enterprises)})", ExitCodes.Usage);
            }

            AddGateway(gateways, bundle, code, force, path);
            AddKeys(keys, bundle, force, path);
            imported.Add((bundle, code));
        }

        FileInPlace.Replace(keyPath, KeyFile.Serialize(keys));
        FileInPlace.Replace(configPath, System.Text.Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        var auditPath = Resolve(directory, (string?)Member(Member(config, "Admin"), "AuditLog") ?? "audit.log");
        using var audit = new AuditLog(auditPath);
        foreach (var (bundle, code) in imported)
        {
            var fingerprints = string.Join(", ", bundle.Keys.Select(k => k.ToString()));
            audit.Append($"cli:{Environment.UserName}", "gateway.import", bundle.GatewayId, "ok", $"enterprise {code}, keys {fingerprints}");
            output.WriteLine($"imported {bundle.GatewayId}: enterprise {code}, keys {fingerprints}");
        }

        output.WriteLine($"{imported.Count} gateways in {configPath} and {keyPath}; the running receiver takes the keys at once, the gateways' broker accounts at its next start");
        return ExitCodes.Ok;
    }

    private static void AddGateway(JsonArray gateways, GatewayBundle bundle, string enterprise, bool force, string path)
    {
        var existing = gateways.OfType<JsonObject>().FirstOrDefault(g => (string?)Member(g, "Id") == bundle.GatewayId);
        if (existing is null)
        {
            gateways.Add(new JsonObject { ["Id"] = bundle.GatewayId, ["Enterprise"] = enterprise, ["PasswordHash"] = bundle.MqttPasswordHash });
            return;
        }

        if (!force)
        {
            throw new CliException($"{path}: gateway {bundle.GatewayId} is configured already; --force replaces its enterprise and credential", ExitCodes.Failure);
        }

        // The rest of the entry (its own Platforms) stays as the operator wrote it.
        existing.Remove(NameOf(existing, "Password"));
        existing[NameOf(existing, "Enterprise")] = enterprise;
        existing[NameOf(existing, "PasswordHash")] = bundle.MqttPasswordHash;
    }

    private static void AddKeys(List<KeyEntry> keys, GatewayBundle bundle, bool force, string path)
    {
        foreach (var key in bundle.Keys)
        {
            var existing = keys.FindIndex(k => k.GatewayId == key.GatewayId && k.KeyVersion == key.KeyVersion);
            if (existing >= 0 && !keys[existing].Key.AsSpan().SequenceEqual(key.Key) && !force)
            {
                throw new CliException($"{path}: {keys[existing]} is registered with another key; --force replaces it", ExitCodes.Failure);
            }

            if (existing >= 0)
            {
                keys[existing] = key;
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    private static JsonObject ReadConfig(string path)
    {
        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: options) as JsonObject ?? throw new CliException($"{path}: not a JSON object", ExitCodes.Usage);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CliException($"{path}: {failure.Message}", ExitCodes.Usage);
        }
    }

    // The configuration binder ignores the case of names: so does this editor.
    private static JsonNode? Member(JsonNode? node, string name) =>
        node is JsonObject json ? json.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value : null;

    private static string NameOf(JsonObject json, string name) =>
        json.Select(pair => pair.Key).FirstOrDefault(key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"{path}: {failure.Message}", ExitCodes.Usage);
        }
    }

    private static string Resolve(string directory, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));
}
