using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// PC-side verification of a full 1 KB readings packet (the contract's default maximum): JWS parsing, key lookup
/// among 10,000 registered gateways, HMAC, constant-time compare, payload JSON and schema checks. The target is
/// at least 100,000 verifications per second per core with the platform HMAC. Side by side (issue 9, part 6): what a
/// .NET user would otherwise write, Microsoft.IdentityModel.JsonWebTokens validating the same HS256 JWS with the
/// key given directly (signature only: no key registry, no payload schema, no lifetime checks).
/// </summary>
[MemoryDiagnoser]
public class PacketVerifyBenchmark
{
    private static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private byte[] _packet = [];
    private PacketVerifier _platform = null!;
    private PacketVerifier _managed = null!;
    private string _token = "";
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _validation = null!;

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
            .Select(i => new PacketReading("000012345678", "0001" + i.ToString("0000"), Now.AddMinutes(-15), new FixedDecimal(123456789012 + i, 2), "kWh", ReadingFlags.None))
            .ToArray();
        var taken = signer.SignReadings(1, Now, readings, 0, readings.Length);
        _packet = signer.Packet.AsSpan(0, signer.Length).ToArray();

        _platform = new PacketVerifier(registry, new DotNetPacketMac());
        _managed = new PacketVerifier(registry, new ManagedPacketMac());
        if (VerifyWithPlatformHmac() != PacketError.None || VerifyWithManagedHmac() != PacketError.None)
        {
            throw new InvalidOperationException("benchmark packet does not verify: " + _platform.Reason + _managed.Reason);
        }

        _token = Encoding.ASCII.GetString(_packet);
        _handler = new JsonWebTokenHandler();
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(key),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        if (!VerifyWithJsonWebTokenHandler())
        {
            throw new InvalidOperationException("JsonWebTokenHandler refuses the benchmark packet");
        }

        Console.WriteLine($"// packet: {_packet.Length} bytes, {taken} readings");
    }

    [Benchmark(Baseline = true)]
    public PacketError VerifyWithPlatformHmac() => _platform.Verify(_packet, 0, _packet.Length, "gw-0001", PacketKind.Up, Now);

    [Benchmark]
    public PacketError VerifyWithManagedHmac() => _managed.Verify(_packet, 0, _packet.Length, "gw-0001", PacketKind.Up, Now);

    /// <summary>The usual .NET way: JsonWebTokenHandler.ValidateTokenAsync with the HS256 key.</summary>
    [Benchmark]
    public bool VerifyWithJsonWebTokenHandler() => _handler.ValidateTokenAsync(_token, _validation).GetAwaiter().GetResult().IsValid;
}
