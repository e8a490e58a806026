using System.Text;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Packet;

public class PacketVerifierTests
{
    private static readonly DateTime Created = new(2025, 5, 31, 23, 59, 0, DateTimeKind.Utc);

    [Fact]
    public void Looks_keys_up_by_gateway_and_version_so_keys_can_rotate()
    {
        var ring = new PacketKeyRing();
        ring.Add("gw-0001", 1, TestKeys.Gateway1V1);
        ring.Add("gw-0001", 2, TestKeys.Gateway1V2);
        var verifier = new PacketVerifier(ring, new ManagedPacketMac());

        Assert.Equal(PacketError.None, verifier.Verify(Status("gw-0001", 1, TestKeys.Gateway1V1), null, PacketKind.None, TestKeys.Now));
        Assert.Equal(PacketError.None, verifier.Verify(Status("gw-0001", 2, TestKeys.Gateway1V2), null, PacketKind.None, TestKeys.Now));
        Assert.Equal(2, verifier.Packet.KeyVersion);

        Assert.Equal(PacketError.UnknownKey, verifier.Verify(Status("gw-0001", 3, TestKeys.Gateway1V2), null, PacketKind.None, TestKeys.Now));
        Assert.Equal("no key registered for kid \"gw-0001.3\"", verifier.Reason);
        Assert.Equal(PacketError.UnknownKey, verifier.Verify(Status("gw-0002", 1, TestKeys.Gateway2V1), null, PacketKind.None, TestKeys.Now));

        // Version 2's key does not verify what claims to be version 1.
        Assert.Equal(PacketError.BadSignature, verifier.Verify(Status("gw-0001", 1, TestKeys.Gateway1V2), null, PacketKind.None, TestKeys.Now));
    }

    [Fact]
    public void Binds_the_packet_to_its_topic()
    {
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac());
        var packet = Status("gw-0001", 1, TestKeys.Gateway1V1);
        Assert.Equal(PacketError.None, verifier.Verify(packet, "gw-0001", PacketKind.Status, TestKeys.Now));
        Assert.Equal(PacketError.GatewayMismatch, verifier.Verify(packet, "gw-0002", PacketKind.Status, TestKeys.Now));
        Assert.Equal(PacketError.KindMismatch, verifier.Verify(packet, "gw-0001", PacketKind.Up, TestKeys.Now));
        Assert.Equal("\"status\" packet on a \"up\" topic", verifier.Reason);
    }

    [Fact]
    public void A_command_is_valid_strictly_before_its_expiry()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var expires = new DateTime(2025, 6, 1, 0, 5, 0, DateTimeKind.Utc);
        signer.SignCommand(1, Created, new GatewayCommand { Name = "reboot", ExpiresUtc = expires });
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac());
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, expires.AddSeconds(-1)));
        Assert.Equal(PacketError.Expired, verifier.Verify(signer.Packet, 0, signer.Length, expires));
        Assert.Equal("command expired at 2025-06-01T00:05:00Z (now 2025-06-01T00:05:00Z)", verifier.Reason);
    }

    [Fact]
    public void Verification_with_the_managed_mac_allocates_nothing_proportional_to_the_packet()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var readings = Enumerable.Range(0, 8).Select(i => new PacketReading("m" + i, "p", Created, new FixedDecimal(i, 1), "kWh", ReadingFlags.None)).ToArray();
        signer.SignReadings(1, Created, readings, 0, readings.Length);
        var ring = new PacketKeyRing();
        ring.Add("gw-0001", 1, TestKeys.Gateway1V1);
        var verifier = new PacketVerifier(ring, new ManagedPacketMac());
        verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now);

        var failures = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            failures += verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now) == PacketError.None ? 0 : 1;
        }

        // Only the gateway id string taken from the kid (about 40 bytes) is allocated per packet.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.True(allocated <= 100 * 64, $"{allocated} bytes for 100 verifications");
    }

    [Fact]
    public void Random_changes_to_a_packet_never_throw_and_never_verify()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var readings = Enumerable.Range(0, 4).Select(i => new PacketReading("m" + i, "p", Created, new FixedDecimal(-i, 2), "kWh", ReadingFlags.Rollover)).ToArray();
        signer.SignReadings(77, Created, readings, 0, readings.Length);
        var original = signer.Packet.AsSpan(0, signer.Length).ToArray();
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac());
        var random = new Random(7519);
        var seen = new HashSet<PacketError>();
        for (var i = 0; i < 5000; i++)
        {
            var mutated = (byte[])original.Clone();
            var length = mutated.Length;
            switch (i % 3)
            {
                case 0:
                    mutated[random.Next(length)] = (byte)random.Next(256);
                    break;
                case 1:
                    mutated[random.Next(length)] = (byte)"ABCxyz019-_.="[random.Next(13)];
                    break;
                default:
                    length = random.Next(length);
                    break;
            }

            if (length == original.Length && mutated.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            var error = verifier.Verify(mutated, 0, length, "gw-0001", PacketKind.Up, TestKeys.Now);
            Assert.NotEqual(PacketError.None, error);
            Assert.False(string.IsNullOrEmpty(verifier.Reason));
            seen.Add(error);
        }

        Assert.Contains(PacketError.BadSignature, seen);
        Assert.Contains(PacketError.BadBase64, seen);
        Assert.Contains(PacketError.Malformed, seen);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac());
        var random = new Random(1);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Give the structure a chance: two dots and a base64url header.
                var text = Encoding.ASCII.GetBytes("eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9." + Base64Url.Encode(bytes) + "." + Base64Url.Encode(bytes.AsSpan(0, Math.Min(32, bytes.Length)).ToArray()));
                bytes = text;
            }

            Assert.NotEqual(PacketError.None, verifier.Verify(bytes, 0, bytes.Length, TestKeys.Now));
        }
    }

    private static string Status(string gatewayId, int keyVersion, byte[] key)
    {
        var signer = new PacketSigner(gatewayId, keyVersion, key, new ManagedPacketMac());
        signer.SignStatus(1, Created, new GatewayStatus { Firmware = "1.0.0" });
        return signer.PacketString();
    }
}

public class MqttTopicsTests
{
    [Fact]
    public void Builds_and_parses_the_four_topics()
    {
        var topics = new MqttTopics();
        Assert.Equal("edgemeter/v1/gw-0001/up", topics.Up("gw-0001"));
        Assert.Equal("edgemeter/v1/gw-0001/status", topics.Status("gw-0001"));
        Assert.Equal("edgemeter/v1/gw-0001/down", topics.Down("gw-0001"));
        Assert.Equal("edgemeter/v1/gw-0001/reply", topics.Reply("gw-0001"));
        Assert.Equal("edgemeter/v1/+/up", topics.AllGateways(PacketKind.Up));

        Assert.True(topics.TryParse("edgemeter/v1/gw_07/reply", out var id, out var kind));
        Assert.Equal(("gw_07", PacketKind.Reply), (id, kind));

        var custom = new MqttTopics("plant/3/em");
        Assert.True(custom.TryParse(custom.Down("A1"), out id, out kind));
        Assert.Equal(("A1", PacketKind.Down), (id, kind));
    }

    [Theory]
    [InlineData("edgemeter/v1/+/up")]
    [InlineData("edgemeter/v1/#")]
    [InlineData("edgemeter/v1/gw-0001/#")]
    [InlineData("edgemeter/v1/gw-0001/up/extra")]
    [InlineData("edgemeter/v1/gw-0001")]
    [InlineData("edgemeter/v1//up")]
    [InlineData("edgemeter/v1/gw.1/up")]
    [InlineData("edgemeter/v1/gw-0001/UP")]
    [InlineData("edgemeter/v2/gw-0001/up")]
    [InlineData("edgemeter/v1x/gw-0001/up")]
    [InlineData("$share/g/edgemeter/v1/gw-0001/up")]
    [InlineData("")]
    public void Rejects_wildcards_bad_ids_and_foreign_topics(string topic)
    {
        Assert.False(new MqttTopics().TryParse(topic, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/+/b")]
    [InlineData("a/#")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData("$SYS")]
    public void Rejects_bad_prefixes(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new MqttTopics(prefix));
    }

    [Fact]
    public void Refuses_to_build_a_topic_for_a_bad_gateway_id()
    {
        Assert.Throws<ArgumentException>(() => new MqttTopics().Up("gw/1"));
        Assert.Throws<ArgumentException>(() => new MqttTopics().Up("+"));
    }
}

public class PacketKeyFileTests
{
    [Fact]
    public void Reads_every_entry_of_a_valid_file()
    {
        var json = "{\"keys\":[{\"gatewayId\":\"gw-0001\",\"keyVersion\":1,\"key\":\"" + Convert.ToHexString(TestKeys.Gateway1V1) + "\"},"
            + "{\"keyVersion\":2,\"gatewayId\":\"gw-0001\",\"key\":\"" + Convert.ToHexStringLower(TestKeys.Gateway1V2) + "\"}]}";
        var ring = new PacketKeyRing();
        Assert.True(PacketKeyFile.TryRead(Encoding.UTF8.GetBytes(json), 0, json.Length, ring.Add, out var error), error);
        Assert.Equal(2, ring.Count);
        Assert.Equal(TestKeys.Gateway1V2, ring.FindKey("gw-0001", 2));
    }

    [Theory]
    [InlineData("{\"keys\":[{\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"key\":\"00\"}]}", "keys[0]: \"key\" must be hex of at least 32 bytes")]
    [InlineData("{\"keys\":[{\"gatewayId\":\"gw/1\",\"keyVersion\":1,\"key\":\"K\"}]}", "keys[0]: \"gatewayId\" must be 1-64 of A-Z a-z 0-9 _ -")]
    [InlineData("{\"keys\":[{\"gatewayId\":\"gw-1\",\"keyVersion\":1.5,\"key\":\"K\"}]}", "keys[0]: \"keyVersion\" must be an integer from 0 to 999999999")]
    [InlineData("{\"keys\":[{\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"key\":\"K\",\"extra\":1}]}", "keys[0]: expected exactly \"gatewayId\", \"keyVersion\" and \"key\"")]
    [InlineData("{\"keys\":[{\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"key\":\"K\"},{\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"key\":\"K\"}]}", "keys[1]: gw-1.1 is listed twice")]
    [InlineData("{\"keys\":[],\"keys\":[]}", "not valid JSON (duplicate member name at byte 11)")]
    [InlineData("[]", "expected an object with one member \"keys\" holding an array")]
    public void Explains_what_is_wrong_with_a_bad_file(string json, string expected)
    {
        json = json.Replace("\"K\"", "\"" + Convert.ToHexString(TestKeys.Gateway1V1) + "\"");
        var calls = 0;
        Assert.False(PacketKeyFile.TryRead(Encoding.UTF8.GetBytes(json), 0, json.Length, (_, _, _) => calls++, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(0, calls);
    }
}
