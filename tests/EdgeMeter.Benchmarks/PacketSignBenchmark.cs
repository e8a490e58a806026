using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// Issue 9, parts 3 and 6: building and signing one "up" packet of 1, 5 or 25 readings (about 0.3, 1 and 3.5 KB),
/// with the platform HMAC, with the core's managed HMAC (what a board without a native one runs), and, side
/// by side, what a .NET user would otherwise write: System.Text.Json serializing the same readings into the same
/// payload members, and Microsoft.IdentityModel.JsonWebTokens signing it as an HS256 JWS. Target: no allocation
/// that grows with the packet (the signer allocates nothing).
/// </summary>
[MemoryDiagnoser]
public class PacketSignBenchmark
{
    private static readonly DateTime Now = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private PacketSigner _platform = null!;
    private PacketSigner _managed = null!;
    private PacketReading[] _readings = [];
    private JsonWebTokenHandler _handler = null!;
    private SigningCredentials _credentials = null!;
    private long _sequence = 1;

    [Params(1, 5, 25)]
    public int Readings { get; set; } = 10;

    [GlobalSetup]
    public void Setup()
    {
        _platform = new PacketSigner("gw-0001", 1, Key, new DotNetPacketMac(), 4096);
        _managed = new PacketSigner("gw-0001", 1, Key, new ManagedPacketMac(), 4096);
        _readings = [.. Enumerable.Range(0, Readings).Select(i =>
            new PacketReading("000012345678", "p" + i.ToString("00"), Now.AddMinutes(-15), new FixedDecimal(123456789012 + i, 2), "kWh", ReadingFlags.None)
            {
                Sequence = 1_000_000 + i,
            })];
        if (SignWithPlatformHmac() != Readings)
        {
            throw new InvalidOperationException($"{Readings} readings do not fit one 4 KB packet");
        }

        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        _credentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256);
        Console.WriteLine($"// {Readings} readings: packet {_platform.Length} bytes");
    }

    [Benchmark(Baseline = true)]
    public int SignWithPlatformHmac() => _platform.SignReadings(_sequence++, Now, _readings, 0, _readings.Length);

    [Benchmark]
    public int SignWithManagedHmac() => _managed.SignReadings(_sequence++, Now, _readings, 0, _readings.Length);

    /// <summary>The usual .NET way: System.Text.Json for the payload, the IdentityModel library for the HS256 JWS.</summary>
    [Benchmark]
    public int SignWithJsonWebTokenHandler()
    {
        var payload = JsonSerializer.Serialize(new
        {
            v = 1,
            k = "up",
            gw = "gw-0001",
            seq = _sequence++,
            ts = Now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            r = _readings.Select(r => new
            {
                n = r.Sequence,
                m = r.MeterId,
                p = r.PointId,
                t = r.TimeUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                val = r.Value.ToString(),
                u = r.Unit,
                q = Array.Empty<string>(),
            }),
        });
        return _handler.CreateToken(payload, _credentials).Length;
    }
}
