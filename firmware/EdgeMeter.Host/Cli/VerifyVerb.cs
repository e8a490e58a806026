using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter verify (--key HEX | --keys FILE) [--topic T] [--now TIME] PACKET|-`: checks a signed packet the way
/// the receiver and the platforms do, prints its header and payload, or the exact reason it is invalid (exit 1).
/// </summary>
public static class VerifyVerb
{
    public static Command Create(CliConsole console)
    {
        var packet = new Argument<string>("packet") { Description = "The JWS compact packet, or - to read it from standard input." };
        var key = new Option<string?>("--key") { Description = "HMAC key as hex (at least 32 bytes), used for whatever kid the packet names." };
        var keys = new Option<string?>("--keys") { Description = "Key registry file (JSON, see docs/packet-format.md)." };
        var topic = new Option<string?>("--topic") { Description = "Topic the packet arrived on; binds its gateway id and kind." };
        var prefix = new Option<string>("--prefix") { Description = "Topic prefix.", DefaultValueFactory = _ => MqttTopics.DefaultPrefix };
        var now = new Option<string?>("--now") { Description = "Time that judges command expiry, e.g. 2025-06-01T00:00:00Z (default: now)." };
        var maxBytes = new Option<int?>("--max-bytes") { Description = $"Largest packet accepted (default: {PacketLimits.MaxDownPacketBytes} on a down topic, else {PacketLimits.DefaultMaxPacketBytes})." };

        var command = new Command("verify", "Verify a signed EdgeMeter packet and print its header and payload.");
        command.Arguments.Add(packet);
        foreach (var option in new Option[] { key, keys, topic, prefix, now, maxBytes })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(
            console,
            parse.GetValue(packet)!,
            parse.GetValue(key),
            parse.GetValue(keys),
            parse.GetValue(topic),
            parse.GetValue(prefix)!,
            parse.GetValue(now),
            parse.GetValue(maxBytes)));
        return command;
    }

    private static int Run(CliConsole console, string packet, string? keyHex, string? keyFile, string? topic, string prefix, string? now, int? maxBytesGiven)
    {
        var store = KeyStore(keyHex, keyFile);
        var nowUtc = ParseNow(now);
        var (topicGateway, topicKind) = ParseTopic(topic, prefix);
        var maxBytes = maxBytesGiven ?? PacketLimits.DefaultMaxBytesFor(topicKind);
        if (maxBytes < 256)
        {
            throw new CliException("--max-bytes must be at least 256", ExitCodes.Usage);
        }

        // Standard input usually ends with a line feed; an argument is taken exactly as given.
        var text = packet == "-" ? Console.In.ReadToEnd().Trim() : packet;
        var verifier = new PacketVerifier(store, new DotNetPacketMac(), maxBytes);
        var error = verifier.Verify(text, topicGateway, topicKind, nowUtc);
        if (error != PacketError.None)
        {
            throw new CliException($"invalid packet ({error}): {verifier.Reason}", ExitCodes.Failure);
        }

        var verified = verifier.Packet;
        console.Out.WriteLine(
            $"valid {PacketNames.Kind(verified.Kind)} packet: gateway {verified.GatewayId}, key version {verified.KeyVersion}, seq {verified.Sequence}");
        console.Out.WriteLine($"header: {verified.HeaderJson()}");
        console.Out.WriteLine($"payload: {verified.PayloadJson()}");
        return ExitCodes.Ok;
    }

    private static IPacketKeyStore KeyStore(string? keyHex, string? keyFile)
    {
        if ((keyHex == null) == (keyFile == null))
        {
            throw new CliException("give exactly one of --key HEX and --keys FILE", ExitCodes.Usage);
        }

        if (keyHex != null)
        {
            var key = Hex.Decode(keyHex.Trim());
            if (key == null || key.Length < GatewayIdentity.MinKeyBytes)
            {
                throw new CliException("--key must be hex of at least 32 bytes (64 hex digits)", ExitCodes.Usage);
            }

            return new SingleKeyStore(key);
        }

        try
        {
            return KeyRegistry.Load(keyFile!);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"key file {keyFile}: {failure.Message}", ExitCodes.Usage);
        }
    }

    private static DateTime ParseNow(string? now)
    {
        if (now == null)
        {
            return DateTime.UtcNow;
        }

        if (PacketText.TryParseTime(now, out var parsed))
        {
            return parsed;
        }

        if (DateTime.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out parsed))
        {
            return parsed;
        }

        throw new CliException($"--now: cannot read \"{now}\" as a time (use 2025-06-01T00:00:00Z)", ExitCodes.Usage);
    }

    private static (string? GatewayId, PacketKind Kind) ParseTopic(string? topic, string prefix)
    {
        if (topic == null)
        {
            return (null, PacketKind.None);
        }

        MqttTopics topics;
        try
        {
            topics = new MqttTopics(prefix);
        }
        catch (ArgumentException)
        {
            throw new CliException($"--prefix \"{prefix}\" is not a valid topic prefix", ExitCodes.Usage);
        }

        if (!topics.TryParse(topic, out var gatewayId, out var kind))
        {
            throw new CliException($"--topic \"{topic}\" is not {prefix}/<gatewayId>/(up|status|down|reply)", ExitCodes.Usage);
        }

        return (gatewayId, kind);
    }
}
