using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Tests.Buffer;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Uplink;

/// <summary>A gateway's uplink over a simulated flash and a fake broker, restartable like a device.</summary>
internal sealed class UplinkRig : IStatusSource, ICommandHandler, IDisposable
{
    private readonly GatewayConfig _config;
    private long _appendedValue;

    private readonly int _maxPacketBytes;

    public UplinkRig(UplinkOptions? options = null, int maxPacketBytes = 4096)
    {
        _maxPacketBytes = maxPacketBytes;
        _config = new GatewayConfig
        {
            GatewayId = "gw-0001",
            KeyVersion = 1,
            Meters =
            [
                new MeterSettings
                {
                    Id = "m1",
                    Points =
                    [
                        new PointSettings { Id = "energy", Unit = "kWh" },
                        new PointSettings { Id = "voltage", Unit = "V" },
                        new PointSettings { Id = "power", Unit = "kW" },
                    ],
                },
            ],
        };
        Options = options ?? new UplinkOptions { UploadIntervalMilliseconds = 1000, MaxReadingsPerPacket = 10, Window = 4 };
        Start();
    }

    public UplinkOptions Options { get; }

    public SimulatedFlash BufferFlash { get; private set; } = new();

    public SimulatedFlash UplinkFlash { get; private set; } = new();

    public ManualClock Clock { get; } = new(new DateTime(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc));

    public FakeMqttTransport Transport { get; } = new();

    public ReadingBuffer Buffer { get; private set; } = null!;

    public UplinkPublisher Publisher { get; private set; } = null!;

    public List<byte[]> Commands { get; } = [];

    public void Start()
    {
        Buffer = ReadingBuffer.Open(BufferFlash, new BufferOptions { Budget = 4 * 1024 * 1024 });
        var sequence = new PacketSequence(UplinkFlash);
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), _maxPacketBytes);
        Publisher = new UplinkPublisher(
            Transport, Buffer, signer, sequence, new PointDirectory(_config), new MqttTopics(), this, this, Clock, Options);
    }

    /// <summary>Power cut: the process dies, the flash keeps what was flushed, the broker keeps what it acknowledged.</summary>
    public void Restart()
    {
        Transport.Disconnect();
        Buffer.Dispose();
        BufferFlash.PowerLoss(PowerLossMode.DropUnflushed, new Random(1));
        UplinkFlash.PowerLoss(PowerLossMode.DropUnflushed, new Random(2));
        Start();
    }

    public void Append(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var reading = new EdgeMeter.Core.Buffer.Reading(0, (int)(_appendedValue % 3), Clock.UtcNow, new FixedDecimal(_appendedValue, 2), ReadingQuality.Good);
            Buffer.Append(ref reading);
            _appendedValue++;
        }

        Buffer.Commit();
    }

    public void Step(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Publisher.Step();
            Clock.Advance(100);
        }
    }

    /// <summary>Every reading the broker acknowledged, verified with the gateway's key, in arrival order.</summary>
    public List<EdgeMeter.Core.Messages.PacketReading> DeliveredReadings()
    {
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), _maxPacketBytes);
        var readings = new List<EdgeMeter.Core.Messages.PacketReading>();
        foreach (var (topic, payload, _) in Transport.Delivered.Where(d => d.Topic.EndsWith("/up", StringComparison.Ordinal)))
        {
            Assert.Equal(PacketError.None, verifier.Verify(payload, 0, payload.Length, "gw-0001", PacketKind.Up, Clock.UtcNow));
            for (var i = 0; i < verifier.Packet.ReadingCount; i++)
            {
                var reading = new EdgeMeter.Core.Messages.PacketReading();
                verifier.Packet.GetReading(i, reading);
                readings.Add(reading);
            }
        }

        return readings;
    }

    public List<long> PacketSequences(string kind)
    {
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), _maxPacketBytes);
        return Transport.Delivered.Where(d => d.Topic.EndsWith("/" + kind, StringComparison.Ordinal))
            .Select(d =>
            {
                verifier.Verify(d.Payload, 0, d.Payload.Length, Clock.UtcNow);
                return verifier.Packet.Sequence;
            })
            .ToList();
    }

    public void Fill(GatewayStatus status)
    {
        status.UptimeSeconds = 1;
        status.ClockSynchronized = true;
    }

    public bool Handle(byte[] packet, CommandReply reply)
    {
        Commands.Add(packet);
        reply.CommandSequence = 1;
        reply.Result = CommandResult.Ok;
        reply.Message = "done";
        return true;
    }

    public void Dispose() => Buffer.Dispose();
}
