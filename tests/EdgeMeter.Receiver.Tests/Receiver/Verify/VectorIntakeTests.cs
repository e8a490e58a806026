using System.Text.Json;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Text;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Tests.Receiver.Support;

namespace EdgeMeter.Receiver.Tests.Receiver.Verify;

/// <summary>Every shared vector (tests/vectors/packets.json) through the receiver's intake and store.</summary>
public sealed class VectorIntakeTests
{
    private static readonly JsonElement[] Vectors = LoadVectors();

    public static TheoryData<string> Names => [.. Vectors.Select(v => v.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Valid_vectors_are_stored_and_invalid_ones_quarantined_with_the_verifier_reason(string name)
    {
        var vector = Vectors.Single(v => v.GetProperty("name").GetString() == name);
        var topic = vector.GetProperty("topic").GetString()!;
        var packet = vector.GetProperty("packet").GetString()!;
        using var store = new TempStore(new SingleKeyStore(Hex.Decode(vector.GetProperty("key").GetString()!)!), Now(vector));

        var result = await store.IngestAsync(topic, packet);

        if (!vector.GetProperty("valid").GetBoolean())
        {
            // The receiver's intake holds gateways' publishes to its own limit; a command vector is judged by the larger one of down packets.
            var reason = result.Error == "Oversized" ? $"packet is {packet.Length} bytes; the limit is {store.Intake.MaxPacketBytes}" : vector.GetProperty("reason").GetString();
            Assert.Equal(IngestDisposition.Quarantined, result.Disposition);
            Assert.Equal(vector.GetProperty("error").GetString(), result.Error);
            Assert.Equal(reason, result.Reason);
            Assert.Equal([vector.GetProperty("error").GetString()!], store.Strings("SELECT error FROM quarantine"));
            Assert.Equal([reason!], store.Strings("SELECT reason FROM quarantine"));
            Assert.Equal(0, store.Count("SELECT COUNT(*) FROM packets"));
            return;
        }

        var payload = vector.GetProperty("payload");
        if (payload.GetProperty("k").GetString() == "down" && packet.Length > store.Intake.MaxPacketBytes)
        {
            // A set-config as large as a command may be: far beyond what a gateway may publish, refused before verifying.
            Assert.Equal((IngestDisposition.Quarantined, "Oversized"), (result.Disposition, result.Error));
            Assert.Equal(0, store.Count("SELECT COUNT(*) FROM packets"));
            return;
        }

        if (payload.GetProperty("k").GetString() == "down")
        {
            // A valid command, but commands only ever go out: as a gateway's publish it is refused and kept.
            Assert.True(store.Intake.Verify(topic, System.Text.Encoding.ASCII.GetBytes(packet), Now(vector).UtcDateTime).IsValid);
            Assert.Equal(IngestResult.WrongDirection, result.Error);
            Assert.Equal(0, store.Count("SELECT COUNT(*) FROM packets"));
            return;
        }

        Assert.Equal(IngestDisposition.Stored, result.Disposition);
        Assert.Equal([packet], store.Strings("SELECT packet FROM packets"));
        // Flat readings of either schema, as the generator recorded them.
        var readings = vector.TryGetProperty("readings", out var r) ? r.EnumerateArray().ToArray() : [];
        Assert.Equal(readings.Select(x => x.GetProperty("n").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)), store.Strings("SELECT n FROM readings ORDER BY id"));
        Assert.Equal(readings.Select(x => x.GetProperty("val").GetString()!), store.Strings("SELECT val FROM readings ORDER BY id"));
        Assert.Equal(readings.Select(x => x.GetProperty("t").GetString()!), store.Strings("SELECT t FROM readings ORDER BY id"));
        Assert.Equal(0, store.Count("SELECT COUNT(*) FROM quarantine"));
    }

    [Fact]
    public async Task All_valid_vectors_in_order_leave_the_replay_state_the_contract_describes()
    {
        var keys = new PacketKeyRing();
        foreach (var vector in Vectors.Where(v => v.GetProperty("valid").GetBoolean()))
        {
            var (gateway, version) = KidOf(vector.GetProperty("packet").GetString()!);
            if (keys.FindKey(gateway, version) is null)
            {
                keys.Add(gateway, version, Hex.Decode(vector.GetProperty("key").GetString()!)!);
            }
        }

        using var store = new TempStore(keys, new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var vector in Vectors.Where(v => v.GetProperty("valid").GetBoolean() && v.GetProperty("payload").GetProperty("k").GetString() != "down"))
        {
            var result = await store.IngestAsync(vector.GetProperty("topic").GetString()!, vector.GetProperty("packet").GetString()!);
            Assert.Equal(IngestDisposition.Stored, result.Disposition);
        }

        // The last will (seq 1000) came after the online status (1006) that announced it: accepted, gateway offline.
        Assert.Equal(["gw-0001|3106|1000|offline", "gw-0002|1||"], store.Strings("SELECT gw || '|' || high_water || '|' || COALESCE(CAST(will_seq AS TEXT), '') || '|' || COALESCE(state, '') FROM gateways ORDER BY gw"));
        Assert.Equal(2, store.Count("SELECT COUNT(*) FROM replies"));
        Assert.Equal(0, store.Count("SELECT COUNT(*) FROM quarantine"));

        // Every packet once more, byte for byte: all exact duplicates, nothing new.
        var sent = 0;
        foreach (var vector in Vectors.Where(v => v.GetProperty("valid").GetBoolean() && v.GetProperty("payload").GetProperty("k").GetString() != "down"))
        {
            var again = await store.IngestAsync(vector.GetProperty("topic").GetString()!, vector.GetProperty("packet").GetString()!);
            Assert.Equal(IngestDisposition.Duplicate, again.Disposition);
            sent++;
        }

        Assert.Equal(sent, store.Metrics.Snapshot().PacketsDuplicate);
        Assert.Equal(22, sent);
    }

    private static (string Gateway, int Version) KidOf(string packet)
    {
        var header = packet[..packet.IndexOf('.')].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(header));
        var kid = json.RootElement.GetProperty("kid").GetString()!;
        return (kid[..kid.LastIndexOf('.')], int.Parse(kid[(kid.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset Now(JsonElement vector) =>
        DateTimeOffset.Parse(vector.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static JsonElement[] LoadVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "packets.json")));
        return document.RootElement.EnumerateArray().Select(v => v.Clone()).ToArray();
    }
}
