using System.CommandLine;
using System.Security.Cryptography;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `keys list|add|rotate|remove (--file F | --config C)`: the key registry. add and rotate generate a random
/// 32-byte key and print it once (to provision the gateway); list shows fingerprints only. With --config the
/// change is also written to the audit log. A running receiver picks the change up within Keys.ReloadSeconds.
/// </summary>
internal static class KeysVerb
{
    public static Command Create(TextWriter output)
    {
        var keys = new Command("keys", "Manage the gateway key registry (rotation: several versions per gateway).");
        keys.Subcommands.Add(List(output));
        keys.Subcommands.Add(Add(output, rotate: false));
        keys.Subcommands.Add(Add(output, rotate: true));
        keys.Subcommands.Add(Remove(output));
        return keys;
    }

    private static Command List(TextWriter output)
    {
        var (file, config) = FileOptions();
        var command = new Command("list", "List gateways and key versions with fingerprints (never the keys).") { file, config };
        command.SetAction(parse =>
        {
            var target = Target.Resolve(parse.GetValue(file), parse.GetValue(config));
            var entries = Read(target.KeyFile, mustExist: true);
            foreach (var entry in entries.OrderBy(e => e.GatewayId, StringComparer.Ordinal).ThenBy(e => e.KeyVersion))
            {
                output.WriteLine($"{entry.GatewayId}\t{entry.KeyVersion}\t{entry.Fingerprint}");
            }

            output.WriteLine($"{entries.Count} keys, {entries.Select(e => e.GatewayId).Distinct().Count()} gateways");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Add(TextWriter output, bool rotate)
    {
        var (file, config) = FileOptions();
        var gateway = new Option<string>("--gateway", "-g") { Description = "Gateway id.", Required = true };
        var version = new Option<int?>("--version") { Description = "Key version (default: 1 for a new gateway)." };
        var command = rotate
            ? new Command("rotate", "Add the next key version for a gateway and print the new key once.") { file, config, gateway }
            : new Command("add", "Add a gateway's key and print it once.") { file, config, gateway, version };
        command.SetAction(parse =>
        {
            var target = Target.Resolve(parse.GetValue(file), parse.GetValue(config));
            var id = parse.GetValue(gateway)!;
            if (!GatewayIdentity.IsGatewayId(id))
            {
                throw new CliException($"--gateway '{id}' is not a gateway id (1-64 of A-Z a-z 0-9 _ -)", ExitCodes.Usage);
            }

            var entries = Read(target.KeyFile, mustExist: rotate);
            var versions = entries.Where(e => e.GatewayId == id).Select(e => e.KeyVersion).ToList();
            int next;
            if (rotate)
            {
                next = versions.Count > 0 ? versions.Max() + 1 : throw new CliException($"gateway {id} has no key to rotate; use keys add", ExitCodes.Failure);
            }
            else
            {
                var asked = parse.GetValue(version);
                if (asked is null && versions.Count > 0)
                {
                    throw new CliException($"gateway {id} already has keys (versions {string.Join(", ", versions)}); use keys rotate", ExitCodes.Failure);
                }

                next = asked ?? 1;
                if (next is < 0 or > GatewayIdentity.MaxKeyVersion || versions.Contains(next))
                {
                    throw new CliException($"--version {next} is taken or outside 0-{GatewayIdentity.MaxKeyVersion}", ExitCodes.Failure);
                }
            }

            var entry = new KeyEntry(id, next, RandomNumberGenerator.GetBytes(32));
            entries.Add(entry);
            FileInPlace.Replace(target.KeyFile, KeyFile.Serialize(entries));
            target.Audit(rotate ? "keys.rotate" : "keys.add", PacketKeyId.Format(id, next), $"fingerprint {entry.Fingerprint}");
            output.WriteLine($"{(rotate ? "rotated" : "added")} {PacketKeyId.Format(id, next)} (fingerprint {entry.Fingerprint}) in {target.KeyFile}");
            output.WriteLine("key (shown once: provision it on the gateway, keep no other copy):");
            output.WriteLine(Convert.ToHexStringLower(entry.Key));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(TextWriter output)
    {
        var (file, config) = FileOptions();
        var gateway = new Option<string>("--gateway", "-g") { Description = "Gateway id.", Required = true };
        var version = new Option<int>("--version") { Description = "Key version to remove.", Required = true };
        var command = new Command("remove", "Remove one key version (after the gateway's backlog signed with it has drained).") { file, config, gateway, version };
        command.SetAction(parse =>
        {
            var target = Target.Resolve(parse.GetValue(file), parse.GetValue(config));
            var id = parse.GetValue(gateway)!;
            var number = parse.GetValue(version);
            var entries = Read(target.KeyFile, mustExist: true);
            if (entries.RemoveAll(e => e.GatewayId == id && e.KeyVersion == number) == 0)
            {
                throw new CliException($"no key {PacketKeyId.Format(id, number)} in {target.KeyFile}", ExitCodes.Failure);
            }

            FileInPlace.Replace(target.KeyFile, KeyFile.Serialize(entries));
            target.Audit("keys.remove", PacketKeyId.Format(id, number), null);
            var left = entries.Count(e => e.GatewayId == id);
            output.WriteLine($"removed {PacketKeyId.Format(id, number)}; {id} has {left} key versions left{(left == 0 ? " (its packets will be quarantined as UnknownKey)" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Option<string?> File, Option<string?> Config) FileOptions() =>
        (new Option<string?>("--file", "-f") { Description = "Key registry file." },
         new Option<string?>("--config", "-c") { Description = "Receiver configuration: use its Keys.File and record the change in its audit log." });

    private static List<KeyEntry> Read(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw new CliException($"key file {path} does not exist", ExitCodes.Failure) : [];
        }

        try
        {
            return KeyFile.Read(path);
        }
        catch (Exception failure) when (failure is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"key file {path}: {failure.Message}", ExitCodes.Failure);
        }
    }

    private sealed record Target(string KeyFile, string? AuditLog)
    {
        public static Target Resolve(string? file, string? config)
        {
            if ((file is null) == (config is null))
            {
                throw new CliException("give exactly one of --file F and --config C", ExitCodes.Usage);
            }

            if (file is not null)
            {
                return new Target(file, null);
            }

            var options = ConfigLoader.Load(config!);
            return new Target(options.Keys.File, options.Admin.AuditLog);
        }

        public void Audit(string action, string target, string? detail)
        {
            if (AuditLog is not null)
            {
                using var audit = new AuditLog(AuditLog);
                audit.Append($"cli:{Environment.UserName}", action, target, "ok", detail);
            }
        }
    }
}
