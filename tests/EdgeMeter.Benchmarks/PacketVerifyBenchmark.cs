using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Packets;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// PC-side verification of a full 1 KB readings packet (the contract's default maximum): JWS parsing, key lookup
/// among 10,000 registered gateways, HMAC, constant-time compare, payload JSON and schema checks. The target is
/// at least 100,000 verifications per second per core with the platform HMAC.
/// </summary>
[MemoryDiagnoser]
public class PacketVerifyBenchmark
{
    private static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private byte[] _packet = [];
    private PacketVerifier _platform = null!;
    private PacketVerifier _managed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var file = new StringBuilder("{\"keys\":[");
        for (var i = 0; i < 10_000; i++)
        {
            file.Append(i == 0 ? "" : ",").Append($"{{\"gatewayId\":\"gw-{i:0000}\",\"keyVersion\":1,\"key\":\"{Convert.ToHexString(key)}\"}}");
        }

        var registry = KeyRegistry.Parse(Encoding.UTF8.GetBytes(file.Append("]}").ToString()));

        var signer = new PacketSigner("gw-0001", 1, key, new ManagedPacketMac());
        var readings = Enumerable.Range(0, 20)
            .Select(i => new Reading("000012345678", "0001" + i.ToString("0000"), Now.AddMinutes(-15), new FixedDecimal(123456789012 + i, 2), "kWh", ReadingFlags.None))
            .ToArray();
        var taken = signer.SignReadings(1, Now, readings, 0, readings.Length);
        _packet = signer.Packet.AsSpan(0, signer.Length).ToArray();

        _platform = new PacketVerifier(registry, new DotNetPacketMac());
        _managed = new PacketVerifier(registry, new ManagedPacketMac());
        if (VerifyWithPlatformHmac() != PacketError.None || VerifyWithManagedHmac() != PacketError.None)
        {
            throw new InvalidOperationException("benchmark packet does not verify: " + _platform.Reason + _managed.Reason);
        }

        Console.WriteLine($"// packet: {_packet.Length} bytes, {taken} readings");
    }

    [Benchmark(Baseline = true)]
    public PacketError VerifyWithPlatformHmac() => _platform.Verify(_packet, 0, _packet.Length, "gw-0001", PacketKind.Up, Now);

    [Benchmark]
    public PacketError VerifyWithManagedHmac() => _managed.Verify(_packet, 0, _packet.Length, "gw-0001", PacketKind.Up, Now);
}
