using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Packets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// Issue 9, parts 3 and 6: building and signing one "up" packet of 1, 5 or 25 readings (about 0.3, 1 and 3.5 KB),
/// with the platform HMAC, with the core's managed HMAC (what a board without a native one runs), and, side
/// by side, what a .NET user would otherwise write: Microsoft.IdentityModel.JsonWebTokens creating an HS256 JWS
/// of the same payload. Target: no allocation that grows with the packet (the signer allocates nothing).
/// </summary>
[MemoryDiagnoser]
public class PacketSignBenchmark
{
    private static readonly DateTime Now = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private PacketSigner _platform = null!;
    private PacketSigner _managed = null!;
    private Reading[] _readings = [];
    private string _payload = "";
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
            new Reading("000012345678", "p" + i.ToString("00"), Now.AddMinutes(-15), new FixedDecimal(123456789012 + i, 2), "kWh", ReadingFlags.None)
            {
                Sequence = 1_000_000 + i,
            })];
        if (SignWithPlatformHmac() != Readings)
        {
            throw new InvalidOperationException($"{Readings} readings do not fit one 4 KB packet");
        }

        var segment = Encoding.ASCII.GetString(_platform.Packet, 0, _platform.Length).Split('.')[1];
        _payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(segment));
        _handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        _credentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256);
        Console.WriteLine($"// {Readings} readings: packet {_platform.Length} bytes");
    }

    [Benchmark(Baseline = true)]
    public int SignWithPlatformHmac() => _platform.SignReadings(_sequence++, Now, _readings, 0, _readings.Length);

    [Benchmark]
    public int SignWithManagedHmac() => _managed.SignReadings(_sequence++, Now, _readings, 0, _readings.Length);

    /// <summary>The usual .NET way: serialize the payload string into an HS256 JWS with the IdentityModel library.</summary>
    [Benchmark]
    public int SignWithJsonWebTokenHandler() => _handler.CreateToken(_payload, _credentials).Length;
}
