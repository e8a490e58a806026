using System.Text;
using System.Text.Json.Nodes;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Tests.Packet;

/// <summary>
/// The shared vectors in tests/vectors/packets.json: the committed file must be what the generator makes (run the
/// tests with EDGEMETER_WRITE_VECTORS=1 to rewrite it), and every vector must verify as it says with both the
/// managed HMAC and the platform's.
/// </summary>
public class PacketVectorsTests
{
    private static readonly string CommittedPath = Path.Combine(AppContext.BaseDirectory, "vectors", PacketVectors.FileName);

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var vector in Load())
        {
            names.Add((string)vector["name"]!);
        }

        return names;
    }

    [Fact]
    public void Committed_file_is_what_the_generator_makes()
    {
        var generated = PacketVectors.Serialize(PacketVectors.Generate());
        if (Environment.GetEnvironmentVariable("EDGEMETER_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(Path.Combine(RepositoryRoot(), "tests", "vectors", PacketVectors.FileName), generated, new UTF8Encoding(false));
            File.WriteAllText(CommittedPath, generated, new UTF8Encoding(false));
        }

        Assert.True(
            generated == File.ReadAllText(CommittedPath, Encoding.UTF8),
            "tests/vectors/packets.json differs from the generator; run the tests with EDGEMETER_WRITE_VECTORS=1 and review the diff");
    }

    [Fact]
    public void The_file_covers_what_the_contract_requires()
    {
        var vectors = Load();
        Assert.True(vectors.Count(v => (bool)v["valid"]!) >= 10);
        Assert.True(vectors.Count(v => !(bool)v["valid"]!) >= 12);
        var names = vectors.Select(v => (string)v["name"]!).ToHashSet();
        Assert.Equal(vectors.Count, names.Count);
        foreach (var required in new[]
        {
            "up-negative-values", "up-many-decimals", "up-huge-energies", "status-online", "down-command", "reply-ok",
            "tampered-payload", "tampered-header", "wrong-key", "alg-none", "alg-hs512", "missing-kid", "bad-base64url",
            "trailing-data-after-signature", "gateway-mismatch", "oversized", "down-set-config-16k", "down-oversized", "duplicate-payload-keys", "expired-command",
        })
        {
            Assert.Contains(required, names);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector_verifies_as_recorded(string name)
    {
        var vector = Load().Single(v => (string)v["name"]! == name);
        Assert.True(new MqttTopics().TryParse((string)vector["topic"]!, out var gatewayId, out var kind));
        Assert.True(PacketText.TryParseTime((string)vector["now"]!, out var now));
        var key = Convert.FromHexString((string)vector["key"]!);
        var packet = Encoding.UTF8.GetBytes((string)vector["packet"]!);

        foreach (IPacketMac mac in new IPacketMac[] { new ManagedPacketMac(), new PlatformPacketMac() })
        {
            var verifier = new PacketVerifier(new SingleKeyStore(key), mac, PacketLimits.DefaultMaxBytesFor(kind));
            var error = verifier.Verify(packet, 0, packet.Length, gatewayId, kind, now);
            if ((bool)vector["valid"]!)
            {
                Assert.True(error == PacketError.None, $"{name}: {error}: {verifier.Reason}");
                Assert.True(JsonNode.DeepEquals(vector["payload"], JsonNode.Parse(verifier.Packet.PayloadJson())));
                Assert.Equal(gatewayId, verifier.Packet.GatewayId);
                Assert.Equal(kind, verifier.Packet.Kind);
                Assert.Equal((long)vector["payload"]!["seq"]!, verifier.Packet.Sequence);
            }
            else
            {
                Assert.Equal((string)vector["error"]!, error.ToString());
                Assert.Equal((string)vector["reason"]!, verifier.Reason);
            }
        }
    }

    internal static List<JsonObject> Load() =>
        JsonNode.Parse(File.ReadAllText(CommittedPath, Encoding.UTF8))!.AsArray().Select(v => v!.AsObject()).ToList();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !File.Exists(Path.Combine(directory.FullName, "EdgeMeter.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EdgeMeter.sln not found above " + AppContext.BaseDirectory);
    }
}
