using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Packet;

/// <summary>
/// Generates tests/vectors/packets.json, deterministically: fixed keys, times and sequence numbers. Valid vectors
/// come from <see cref="PacketSigner"/>; invalid ones are crafted by hand. Every vector's expected error is
/// asserted while generating, and the reason recorded is the verifier's exact text.
/// </summary>
internal static class PacketVectors
{
    public const string FileName = "packets.json";
    public const string NowText = "2025-06-01T00:00:00Z";

    private static readonly DateTime Created = new(2025, 5, 31, 23, 59, 0, DateTimeKind.Utc);
    private static readonly DateTime ReadAt = new(2025, 5, 31, 23, 45, 0, DateTimeKind.Utc);
    private static readonly MqttTopics Topics = new();

    public static string Serialize(IEnumerable<JsonObject> vectors)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return new JsonArray(vectors.ToArray<JsonNode?>()).ToJsonString(options) + "\n";
    }

    public static List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac()) { UpSchema = 1 };

        // ---- valid ----
        var single = Up(signer, 1001, R("000012345678", "00010000", 1234567, 2, "kWh"));
        Valid(vectors, "up-single-reading", "One active-energy reading (DL/T 645 address and data identifier).", Topics.Up("gw-0001"), TestKeys.Gateway1V1, single);
        Valid(vectors, "up-negative-values", "Negative values keep their sign and scale: exported reactive energy, reverse power, a temperature below zero.", Topics.Up("gw-0001"), TestKeys.Gateway1V1,
            Up(signer, 1002, R("000012345678", "00020000", -5, 3, "kvarh"), R("000012345678", "02030000", -12340, 3, "kW"), R("modbus:3", "hr:40100", -27315, 2, "℃")));
        Valid(vectors, "up-many-decimals", "Eighteen decimals survive exactly (no binary floating point anywhere).", Topics.Up("gw-0001"), TestKeys.Gateway1V1,
            Up(signer, 1003, R("000012345678", "calib:a", 1, 18, "kWh"), R("000012345678", "calib:b", 3141592653589793238, 18, "kWh"), R("000012345678", "calib:c", -999999999999999999, 18, "kWh")));
        Valid(vectors, "up-huge-energies", "Energies up to the 64-bit limit, beyond what a double holds exactly.", Topics.Up("gw-0001"), TestKeys.Gateway1V1,
            Up(signer, 1004, R("000012345678", "00010000", long.MaxValue, 2, "kWh"), R("000012345678", "00010000.total", long.MaxValue, 0, "kWh"), R("steam-1", "heat", 1234567890123456789, 1, "GJ"), R("000012345678", "00020000", long.MinValue, 0, "kvarh")));
        Valid(vectors, "up-quality-flags", "Quality flags: clock not yet synchronized (time is 1970), meter error, estimated, rollover.", Topics.Up("gw-0001"), TestKeys.Gateway1V1,
            Up(signer, 1005,
                new PacketReading("000012345678", "00010000", new DateTime(1970, 1, 1, 0, 0, 12, DateTimeKind.Utc), new FixedDecimal(1234567, 2), "kWh", ReadingFlags.TimeUnsynchronized),
                new PacketReading("000012345679", "00010000", ReadAt, new FixedDecimal(0, 2), "kWh", ReadingFlags.MeterError),
                new PacketReading("000012345680", "00010000", ReadAt, new FixedDecimal(1000000, 2), "kWh", ReadingFlags.Estimated | ReadingFlags.Rollover),
                new PacketReading("000012345681", "00010000", ReadAt, new FixedDecimal(42, 0), "m³", (ReadingFlags)15)));

        var batch = Enumerable.Range(0, 14)
            .Select(i => new PacketReading("0000123456" + (70 + (i / 4)).ToString(), "000" + (10000 + (i * 100)).ToString(), ReadAt.AddMinutes(-15 * (i % 4)), new FixedDecimal(98765432 + (i * 1111), 3), i % 2 == 0 ? "kWh" : "kvarh", ReadingFlags.None))
            .ToArray();
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i].Sequence = 500_001 + i;
        }

        var offset = 0;
        var part = 1;
        while (offset < batch.Length)
        {
            var taken = signer.SignReadings(2000 + part, Created, batch, offset, batch.Length - offset);
            Valid(vectors, $"up-batch-part-{part}", $"A batch of {batch.Length} readings split to stay within 1024 bytes: readings {offset + 1}-{offset + taken}.", Topics.Up("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());
            offset += taken;
            part++;
        }

        var online = new GatewayStatus
        {
            State = GatewayState.Online, Firmware = "0.4.1", UptimeSeconds = 86400, ClockSynchronized = true, QueuedReadings = 0, WillSequence = 1000,
            FreeMemory = 61440, DroppedReadings = 0, Connections = 2, PlatformMessage = "请于本月25日前核对计量点",
            Meters =
            [
                new MeterHealth { Id = "000012345678", Online = true, Requests = 5760, Timeouts = 3, Errors = 0, LatencyMilliseconds = 212, ClockDriftSeconds = -4 },
                new MeterHealth { Id = "modbus:3", Online = false, Requests = 96, Timeouts = 96, Errors = 0, LatencyMilliseconds = 500, ClockDriftSeconds = 0 },
            ],
            MeterCount = 2,
            Buses = [new BusHealth { Id = "bus1", Requests = 5856, Timeouts = 99, Errors = 0 }],
            BusCount = 1,
        };
        signer.SignStatus(1006, Created, online);
        Valid(vectors, "status-online", "Retained health status; \"will\" announces the sequence number of this connection's last will.", Topics.Status("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());

        var will = new GatewayStatus { State = GatewayState.Offline, Firmware = "0.4.1", UptimeSeconds = 40, ClockSynchronized = false, QueuedReadings = 3, WillSequence = 1000 };
        signer.SignStatus(1000, new DateTime(2025, 5, 30, 23, 0, 40, DateTimeKind.Utc), will);
        Valid(vectors, "status-offline-last-will", "The last will, signed at connect time: the broker publishes it when the gateway drops off.", Topics.Status("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());

        var poll = new GatewayCommand { Name = "poll-now", ExpiresUtc = new DateTime(2025, 6, 1, 0, 10, 0, DateTimeKind.Utc), Arguments = new[] { new CommandArgument("meter", "000012345678"), new CommandArgument("point", "00010000") } };
        signer.SignCommand(17, new DateTime(2025, 5, 31, 23, 58, 0, DateTimeKind.Utc), poll);
        Valid(vectors, "down-command", "A command from the platform, with its own sequence number and an expiry.", Topics.Down("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());
        Valid(vectors, "down-command-from-a-standard-jose-library", "A command signed by a standard JOSE library: \"typ\" header, JSON with spaces. Accepted: the signature covers the bytes as sent.", Topics.Down("gw-0001"), TestKeys.Gateway1V1,
            TestKeys.Jws("{\"alg\": \"HS256\", \"typ\": \"JWT\", \"kid\": \"gw-0001.1\"}", "{\"v\": 1, \"k\": \"down\", \"gw\": \"gw-0001\", \"seq\": 18, \"ts\": \"2025-05-31T23:59:00Z\", \"expires\": \"2025-06-01T01:00:00Z\", \"name\": \"set-interval\", \"args\": {\"seconds\": \"900\"}}", TestKeys.Gateway1V1));

        var setConfig = new GatewayCommand { Name = "set-config", ExpiresUtc = new DateTime(2025, 6, 1, 0, 10, 0, DateTimeKind.Utc), Arguments = new[] { new CommandArgument("config", TestConfigurations.Largest()) } };
        var down = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), PacketLimits.MaxDownPacketBytes);
        down.SignCommand(20, new DateTime(2025, 5, 31, 23, 58, 0, DateTimeKind.Utc), setConfig);
        Valid(vectors, "down-set-config-16k", "set-config carrying a configuration of 16384 characters, the most an argument holds: a down packet may be up to 32768 bytes.", Topics.Down("gw-0001"), TestKeys.Gateway1V1, down.PacketString());

        signer.SignReply(1007, Created, new CommandReply { CommandSequence = 17, Result = CommandResult.Ok, Message = "polled 2 points" });
        Valid(vectors, "reply-ok", "The gateway's answer to command 17.", Topics.Reply("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());
        signer.SignReply(1008, Created, new CommandReply { CommandSequence = 18, Result = CommandResult.Failed, Message = "meter \"000012345678\" did not answer\r\n\tretry in 60 s / 电表无响应" });
        Valid(vectors, "reply-failed-escaped-message", "A reply whose message needs JSON escapes and non-ASCII UTF-8.", Topics.Reply("gw-0001"), TestKeys.Gateway1V1, signer.PacketString());

        var compact = CompactVectors(vectors);

        var rotated = new PacketSigner("gw-0001", 2, TestKeys.Gateway1V2, new ManagedPacketMac()) { UpSchema = 1 };
        Valid(vectors, "up-rotated-key-version-2", "Signed with version 2 of the gateway's key (kid gw-0001.2).", Topics.Up("gw-0001"), TestKeys.Gateway1V2,
            Up(rotated, 1009, R("000012345678", "00010000", 1234600, 2, "kWh")));
        var other = new PacketSigner("gw-0002", 1, TestKeys.Gateway2V1, new ManagedPacketMac()) { UpSchema = 1 };
        Valid(vectors, "up-other-gateway", "Another gateway, another key.", Topics.Up("gw-0002"), TestKeys.Gateway2V1,
            Up(other, 1, R("000087654321", "00010000", 50, 2, "kWh")));

        // ---- invalid ----
        var parts = single.Split('.');
        var header = Decode(parts[0]);
        var payload = Decode(parts[1]);
        var upTopic = Topics.Up("gw-0001");
        var key = TestKeys.Gateway1V1;

        Invalid(vectors, "tampered-payload", "One digit of the reading changed after signing.", upTopic, key,
            parts[0] + "." + Encode(payload.Replace("12345.67", "92345.67")) + "." + parts[2], PacketError.BadSignature);
        Invalid(vectors, "tampered-header", "The kid changed after signing (version 1 to 2).", upTopic, key,
            Encode(header.Replace("gw-0001.1", "gw-0001.2")) + "." + parts[1] + "." + parts[2], PacketError.BadSignature);
        Invalid(vectors, "wrong-key", "Verified with a key other than the one that signed it.", upTopic, TestKeys.Wrong, single, PacketError.BadSignature);
        Invalid(vectors, "truncated-signature", "The signature lost its last three characters (30 bytes left).", upTopic, key, single[..^3], PacketError.BadSignature);
        Invalid(vectors, "alg-none", "Unsecured JWS (alg none, empty signature).", upTopic, key,
            Encode("{\"alg\":\"none\",\"kid\":\"gw-0001.1\"}") + "." + parts[1] + ".", PacketError.AlgorithmNotAllowed);
        Invalid(vectors, "alg-hs512", "Correctly signed with HS512 under the right key: refused, only HS256 is configured.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"HS512\",\"kid\":\"gw-0001.1\"}", payload, key, "HS512"), PacketError.AlgorithmNotAllowed);
        Invalid(vectors, "alg-lowercase", "alg must equal \"HS256\" exactly.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"hs256\",\"kid\":\"gw-0001.1\"}", payload, key), PacketError.AlgorithmNotAllowed);
        Invalid(vectors, "missing-kid", "No kid: the verifier cannot tell which key to use.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"HS256\"}", payload, key), PacketError.MissingKid);
        Invalid(vectors, "kid-without-key-version", "kid must be <gatewayId>.<keyVersion>.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"HS256\",\"kid\":\"gw-0001\"}", payload, key), PacketError.BadHeader);
        Invalid(vectors, "crit-header", "A critical header extension this verifier does not implement.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"HS256\",\"kid\":\"gw-0001.1\",\"crit\":[\"exp\"],\"exp\":1}", payload, key), PacketError.BadHeader);
        Invalid(vectors, "duplicate-header-alg", "Two \"alg\" members: parsers disagree on which wins, so it is refused.", upTopic, key,
            TestKeys.Jws("{\"alg\":\"HS256\",\"kid\":\"gw-0001.1\",\"alg\":\"none\"}", payload, key), PacketError.DuplicateKey);

        var unpadded = Encoding.UTF8.GetBytes(payload);
        var padded = Convert.ToBase64String(unpadded.Length % 3 == 0 ? Encoding.UTF8.GetBytes(payload + " ") : unpadded);
        Assert.Contains('=', padded);
        Invalid(vectors, "bad-base64url", "Payload segment in padded standard base64, signed as sent.", upTopic, key,
            parts[0] + "." + padded + "." + TestKeys.Signature(parts[0] + "." + padded, key), PacketError.BadBase64);
        Invalid(vectors, "not-three-segments", "Only header and payload.", upTopic, key, parts[0] + "." + parts[1], PacketError.Malformed);
        Invalid(vectors, "trailing-data-after-signature", "A fourth segment after the signature.", upTopic, key, single + ".e30", PacketError.TrailingData);
        Invalid(vectors, "trailing-newline", "A line feed after the signature, as a shell or a file adds it.", upTopic, key, single + "\n", PacketError.TrailingData);
        Invalid(vectors, "trailing-data-after-payload-json", "Signed payload with a second JSON value after the first.", upTopic, key,
            TestKeys.Jws(header, payload + "\n{}", key), PacketError.TrailingData);
        Invalid(vectors, "gateway-mismatch", "Payload gateway differs from the kid's gateway.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"gw\":\"gw-0001\"", "\"gw\":\"gw-0002\""), key), PacketError.GatewayMismatch);
        Invalid(vectors, "topic-of-another-gateway", "A valid packet of gw-0001 republished on gw-0002's topic.", Topics.Up("gw-0002"), key, single, PacketError.GatewayMismatch);
        Invalid(vectors, "kind-mismatch", "A readings packet on the status topic.", Topics.Status("gw-0001"), key, single, PacketError.KindMismatch);

        var large = new PacketSigner("gw-0001", 1, key, new ManagedPacketMac(), 4096) { UpSchema = 1 };
        var many = Enumerable.Range(0, 16).Select(i => R("000012345678", "0001" + i.ToString("0000"), 1234567 + i, 2, "kWh")).ToArray();
        Assert.Equal(16, large.SignReadings(1010, Created, many, 0, many.Length));
        Assert.True(large.Length > PacketLimits.DefaultMaxPacketBytes);
        Invalid(vectors, "oversized", "Correctly signed but longer than the 1024-byte limit (it should have been split).", upTopic, key, large.PacketString(), PacketError.Oversized);

        Invalid(vectors, "duplicate-payload-keys", "\"seq\" twice in the payload.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"seq\":1001,", "\"seq\":1001,\"seq\":1,"), key), PacketError.DuplicateKey);
        Invalid(vectors, "duplicate-payload-keys-escaped", "\"seq\" and \"s\\u0065q\": the same name once unescaped.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"seq\":1001,", "\"seq\":1001,\"s\\u0065q\":1,"), key), PacketError.DuplicateKey);

        var twoConfigs = new GatewayCommand { Name = "set-config", ExpiresUtc = new DateTime(2025, 6, 1, 0, 10, 0, DateTimeKind.Utc), Arguments = new[] { new CommandArgument("config", TestConfigurations.Largest()), new CommandArgument("spare", TestConfigurations.Largest()) } };
        var unbounded = new PacketSigner("gw-0001", 1, key, new ManagedPacketMac(), 3 * PacketLimits.MaxDownPacketBytes);
        unbounded.SignCommand(21, new DateTime(2025, 5, 31, 23, 58, 0, DateTimeKind.Utc), twoConfigs);
        Invalid(vectors, "down-oversized", "A command with two 16384-character arguments: correctly signed, but longer than the 32768-byte limit of down packets.", Topics.Down("gw-0001"), key, unbounded.PacketString(), PacketError.Oversized);

        var expired = new GatewayCommand { Name = "poll-now", ExpiresUtc = new DateTime(2025, 5, 31, 23, 59, 59, DateTimeKind.Utc), Arguments = new[] { new CommandArgument("meter", "000012345678") } };
        signer.SignCommand(19, new DateTime(2025, 5, 31, 23, 54, 59, DateTimeKind.Utc), expired);
        Invalid(vectors, "expired-command", "A command whose expiry passed one second before \"now\".", Topics.Down("gw-0001"), key, signer.PacketString(), PacketError.Expired);

        Invalid(vectors, "unsupported-schema", "Schema version 3.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"v\":1,", "\"v\":3,"), key), PacketError.UnsupportedSchema);
        InvalidCompact(vectors, header, compact, key);
        Invalid(vectors, "value-as-json-number", "The value as a JSON number: a double cannot carry it exactly, so numbers are refused.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"val\":\"12345.67\"", "\"val\":12345.67"), key), PacketError.BadPayload);
        Invalid(vectors, "unknown-member", "A member schema v1 does not define.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"u\":\"kWh\"", "\"u\":\"kWh\",\"note\":\"x\""), key), PacketError.BadPayload);
        Invalid(vectors, "unknown-quality-flag", "A quality flag schema v1 does not define.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"q\":[]", "\"q\":[\"guessed\"]"), key), PacketError.BadPayload);
        Invalid(vectors, "sequence-beyond-2^53", "seq past 2^53-1, where doubles stop being exact.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"seq\":1001", "\"seq\":9007199254740992"), key), PacketError.BadPayload);
        Invalid(vectors, "local-time-without-z", "Reading time without the UTC designator.", upTopic, key,
            TestKeys.Jws(header, payload.Replace("\"t\":\"2025-05-31T23:45:00Z\"", "\"t\":\"2025-06-01T07:45:00\""), key), PacketError.BadPayload);

        var badUtf8 = Encoding.UTF8.GetBytes(payload.Replace("000012345678", "00001234567#"));
        var hash = Array.IndexOf(badUtf8, (byte)'#');
        var withOverlong = badUtf8[..hash].Concat(new byte[] { 0xC0, 0xB8 }).Concat(badUtf8[(hash + 1)..]).ToArray();
        var signingInput = parts[0] + "." + Base64Url.Encode(withOverlong);
        Invalid(vectors, "invalid-utf8-in-payload", "An overlong UTF-8 sequence inside the meter id.", upTopic, key,
            signingInput + "." + TestKeys.Signature(signingInput, key), PacketError.BadPayload);

        return vectors;
    }

    // Schema v2 ("up" only): a typical poll, flags and a frozen reading, a 16-meter gateway's cycle split at 1024 bytes.
    private static string CompactVectors(List<JsonObject> vectors)
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var topic = Topics.Up("gw-0001");
        string[] points = ["00010000", "00020000", "02010100", "02020100", "02030000"];
        string[] units = ["kWh", "kWh", "V", "A", "kW"];
        long[] mantissas = [1234567, 1200, 2201, 5123, 11234];
        int[] scales = [2, 2, 1, 3, 4];
        var typical = new PacketReading[10];
        for (var i = 0; i < typical.Length; i++)
        {
            var p = i % 5;
            typical[i] = new PacketReading("00001234567" + (8 + (i / 5)), points[p], ReadAt, new FixedDecimal(mantissas[p] + i, scales[p]), units[p], ReadingFlags.None) { Sequence = 700_001 + i };
        }

        Assert.Equal(typical.Length, signer.SignReadings(3001, Created, typical, 0, typical.Length));
        var typicalPacket = signer.PacketString();
        Valid(vectors, "up-v2-typical", "Schema v2: two DL/T 645 meters polled at 23:45, five points each; one row per meter, tables of meters, points and units.", topic, TestKeys.Gateway1V1, typicalPacket);

        var flagged = new[]
        {
            new PacketReading("000012345678", "00010000", new DateTime(1970, 1, 1, 0, 0, 12, DateTimeKind.Utc), new FixedDecimal(1234567, 2), "kWh", ReadingFlags.TimeUnsynchronized) { Sequence = 800_001 },
            new PacketReading("000012345679", "00010000", ReadAt, new FixedDecimal(0, 2), "kWh", ReadingFlags.MeterError) { Sequence = 800_002 },
            new PacketReading("000012345679", "00010000", new DateTime(2025, 5, 31, 0, 0, 0, DateTimeKind.Utc), new FixedDecimal(1199950, 2), "kWh", ReadingFlags.Frozen) { Sequence = 800_003 },
            new PacketReading("modbus:3", "hr:40100", ReadAt.AddSeconds(3), new FixedDecimal(-27315, 2), "℃", ReadingFlags.Estimated | ReadingFlags.Rollover) { Sequence = 800_004 },
            new PacketReading("modbus:3", "hr:40102", ReadAt.AddSeconds(3), new FixedDecimal(42, 0), "m³", ReadingFlags.Estimated | ReadingFlags.Rollover) { Sequence = 800_005 },
        };
        Assert.Equal(flagged.Length, signer.SignReadings(3002, Created, flagged, 0, flagged.Length));
        Valid(vectors, "up-v2-flags-and-offsets", "Schema v2: flags on the rows that have them (1970 time before sync, meter error, a frozen day-end reading 85,500 s before \"t\", estimated and rolled over), offsets in both directions.", topic, TestKeys.Gateway1V1, signer.PacketString());

        var cycle = new PacketReading[128];
        for (var i = 0; i < cycle.Length; i++)
        {
            var p = i % 8;
            cycle[i] = new PacketReading("0000123456" + (10 + (i / 8)), "0" + (p + 1) + "010000", ReadAt, new FixedDecimal(98765432 + (i * 1111), 1 + (p % 3)), p < 4 ? "kWh" : "kvarh", ReadingFlags.None) { Sequence = 900_001 + i };
        }

        var offset = 0;
        var part = 1;
        while (offset < cycle.Length)
        {
            var taken = signer.SignReadings(3100 + part, Created, cycle, offset, cycle.Length - offset);
            Valid(vectors, $"up-v2-cycle-part-{part}", $"Schema v2: one 15-minute cycle of 16 meters x 8 points ({cycle.Length} readings) split to stay within 1024 bytes: readings {offset + 1}-{offset + taken}.", topic, TestKeys.Gateway1V1, signer.PacketString());
            offset += taken;
            part++;
        }

        return Decode(typicalPacket.Split('.')[1]);
    }

    // The v2 rules a reader must enforce beyond v1's: indexes into the tables, row shape, offsets and numbering.
    private static void InvalidCompact(List<JsonObject> vectors, string header, string payload, byte[] key)
    {
        var topic = Topics.Up("gw-0001");
        void Case(string name, string description, string changed, PacketError error = PacketError.BadPayload, string? on = null)
        {
            Assert.NotEqual(payload, changed);
            Invalid(vectors, name, description, on ?? topic, key, TestKeys.Jws(header, changed, key), error);
        }

        Case("v2-meter-index-out-of-range", "Schema v2: a row names meter 2 of a two-entry \"m\".", payload.Replace("\"r\":[[0,", "\"r\":[[2,"));
        Case("v2-point-index-out-of-range", "Schema v2: a row starting at point 1 with five values, for a five-entry \"p\".", payload.Replace("[0,0,0,", "[0,0,1,"));
        Case("v2-units-do-not-match-points", "Schema v2: \"u\" shorter than \"p\".", payload.Replace(",\"kW\"]", "]"));
        Case("v2-row-without-values", "Schema v2: a row with a meter and an offset but no point and value.", payload.Replace("\"r\":[", "\"r\":[[0,0],"));
        Case("v2-value-as-json-number", "Schema v2: a value as a JSON number instead of a decimal string.", payload.Replace("\"12345.67\"", "12345.67"));
        Case("v2-offset-before-1970", "Schema v2: an offset that puts a reading before 1970.", payload.Replace("[0,0,0,", "[0,-1748737000,0,"));
        Case("v2-unknown-member", "Schema v2: a member v2 does not define.", payload.Replace("\"u\":[", "\"note\":\"x\",\"u\":["));
        Case("v2-reading-numbers-past-2^53", "Schema v2: \"n\" so high that the later readings' numbers pass 2^53-1.", payload.Replace("\"n\":700001", "\"n\":9007199254740990"));
        Case("v2-status", "Schema v2 is for up packets only: a status claiming it.", "{\"v\":2,\"k\":\"status\"" + payload[payload.IndexOf(",\"gw\"", StringComparison.Ordinal)..], PacketError.UnsupportedSchema, Topics.Status("gw-0001"));
    }

    private static PacketReading R(string meter, string point, long mantissa, int scale, string unit) =>
        new(meter, point, ReadAt, new FixedDecimal(mantissa, scale), unit, ReadingFlags.None);

    private static string Up(PacketSigner signer, long sequence, params PacketReading[] readings)
    {
        // Readings carry their own buffer sequence numbers ("n"); any stable numbering does for the vectors.
        for (var i = 0; i < readings.Length; i++)
        {
            readings[i].Sequence = (sequence * 100) + i + 1;
        }

        Assert.Equal(readings.Length, signer.SignReadings(sequence, Created, readings, 0, readings.Length));
        return signer.PacketString();
    }

    private static void Valid(List<JsonObject> vectors, string name, string description, string topic, byte[] key, string packet)
    {
        var verifier = Verify(topic, key, packet);
        Assert.True(verifier.Error == PacketError.None, $"{name}: {verifier.Reason}");
        vectors.Add(new JsonObject
        {
            ["name"] = name,
            ["description"] = description,
            ["valid"] = true,
            ["topic"] = topic,
            ["now"] = NowText,
            ["key"] = Convert.ToHexStringLower(key),
            ["packet"] = packet,
            ["payload"] = JsonNode.Parse(verifier.Packet.PayloadJson()),
        });
        if (verifier.Packet.Kind == PacketKind.Up)
        {
            vectors[^1]["readings"] = Readings(verifier.Packet);
        }
    }

    // What a reader makes of an "up" payload of either schema: one flat object per reading.
    private static JsonArray Readings(VerifiedPacket packet)
    {
        var readings = new JsonArray();
        for (var i = 0; i < packet.ReadingCount; i++)
        {
            var reading = new PacketReading();
            packet.GetReading(i, reading);
            var flags = new JsonArray();
            for (var bit = 0; bit < PacketNames.FlagCount; bit++)
            {
                if (((int)reading.Flags & (1 << bit)) != 0)
                {
                    flags.Add(PacketNames.Flag(bit));
                }
            }

            readings.Add(new JsonObject
            {
                ["n"] = reading.Sequence,
                ["m"] = reading.MeterId,
                ["p"] = reading.PointId,
                ["t"] = PacketText.FormatTime(reading.TimeUtc),
                ["val"] = reading.Value.ToString(),
                ["u"] = reading.Unit,
                ["q"] = flags,
            });
        }

        return readings;
    }

    private static void Invalid(List<JsonObject> vectors, string name, string description, string topic, byte[] key, string packet, PacketError expected)
    {
        var verifier = Verify(topic, key, packet);
        Assert.True(verifier.Error == expected, $"{name}: expected {expected}, got {verifier.Error}: {verifier.Reason}");
        vectors.Add(new JsonObject
        {
            ["name"] = name,
            ["description"] = description,
            ["valid"] = false,
            ["topic"] = topic,
            ["now"] = NowText,
            ["key"] = Convert.ToHexStringLower(key),
            ["packet"] = packet,
            ["error"] = expected.ToString(),
            ["reason"] = verifier.Reason,
        });
    }

    private static PacketVerifier Verify(string topic, byte[] key, string packet)
    {
        Assert.True(Topics.TryParse(topic, out var gatewayId, out var kind));
        Assert.True(PacketText.TryParseTime(NowText, out var now));
        var verifier = new PacketVerifier(new SingleKeyStore(key), new ManagedPacketMac(), PacketLimits.DefaultMaxBytesFor(kind));
        verifier.Verify(packet, gatewayId, kind, now);
        return verifier;
    }

    private static string Decode(string segment) => Encoding.UTF8.GetString(Base64Url.Decode(segment)!);

    private static string Encode(string json) => Base64Url.Encode(Encoding.UTF8.GetBytes(json));
}

/// <summary>HS256 through System.Security.Cryptography, as the PC side plugs it in.</summary>
internal sealed class PlatformPacketMac : IPacketMac
{
    public string Algorithm => "HS256";

    public int MacLength => 32;

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset) =>
        HMACSHA256.HashData(key, data.AsSpan(offset, count), mac.AsSpan(macOffset, 32));

    public bool FixedTimeEquals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count) =>
        CryptographicOperations.FixedTimeEquals(left.AsSpan(leftOffset, count), right.AsSpan(rightOffset, count));
}
