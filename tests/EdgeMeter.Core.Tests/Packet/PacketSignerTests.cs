using System.Text;
using System.Text.Json;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Packet;

public class PacketSignerTests
{
    private static readonly DateTime Created = new(2025, 5, 31, 23, 59, 0, DateTimeKind.Utc);

    [Fact]
    public void Signs_readings_that_verify_and_read_back_unchanged()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var readings = new[]
        {
            new PacketReading("000012345678", "00010000", Created, new FixedDecimal(1234567, 2), "kWh", ReadingFlags.None),
            new PacketReading("000012345678", "02030000", Created, new FixedDecimal(-12340, 3), "kW", ReadingFlags.Estimated | ReadingFlags.TimeUnsynchronized) { Sequence = 9007 },
        };
        Assert.Equal(2, signer.SignReadings(42, Created, readings, 0, 2));

        var verifier = Verifier();
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now));
        var packet = verifier.Packet;
        Assert.Equal(("gw-0001", 1, 42L, PacketKind.Up, Created), (packet.GatewayId, packet.KeyVersion, packet.Sequence, packet.Kind, packet.CreatedUtc));
        Assert.Equal("{\"alg\":\"HS256\",\"kid\":\"gw-0001.1\"}", packet.HeaderJson());
        Assert.Equal(
            "{\"v\":1,\"k\":\"up\",\"gw\":\"gw-0001\",\"seq\":42,\"ts\":\"2025-05-31T23:59:00Z\",\"r\":["
            + "{\"n\":0,\"m\":\"000012345678\",\"p\":\"00010000\",\"t\":\"2025-05-31T23:59:00Z\",\"val\":\"12345.67\",\"u\":\"kWh\",\"q\":[]},"
            + "{\"n\":9007,\"m\":\"000012345678\",\"p\":\"02030000\",\"t\":\"2025-05-31T23:59:00Z\",\"val\":\"-12.340\",\"u\":\"kW\",\"q\":[\"time-unsync\",\"estimated\"]}]}",
            packet.PayloadJson());

        Assert.Equal(2, packet.ReadingCount);
        var back = new PacketReading();
        packet.GetReading(1, back);
        Assert.Equal((9007L, "000012345678", "02030000", Created, new FixedDecimal(-12340, 3), "kW"), (back.Sequence, back.MeterId, back.PointId, back.TimeUtc, back.Value, back.Unit));
        Assert.Equal(ReadingFlags.Estimated | ReadingFlags.TimeUnsynchronized, back.Flags);
    }

    [Fact]
    public void Splits_a_large_batch_into_packets_within_the_size_limit_in_order()
    {
        const int maxBytes = 700;
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), maxBytes);
        var random = new Random(99);
        var readings = Enumerable.Range(0, 57)
            .Select(i => new PacketReading($"meter-{i % 7}", $"point:{i}", Created.AddSeconds(i), new FixedDecimal(random.NextInt64(long.MinValue, long.MaxValue), random.Next(0, 19)), i % 3 == 0 ? "kvarh" : "m³", (ReadingFlags)(i % 16)))
            .ToArray();

        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), maxBytes);
        var received = new List<PacketReading>();
        var offset = 0;
        var sequence = 100L;
        var packets = 0;
        while (offset < readings.Length)
        {
            var taken = signer.SignReadings(sequence, Created, readings, offset, readings.Length - offset);
            Assert.True(taken > 0);
            Assert.True(signer.Length <= maxBytes);
            Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, TestKeys.Now));
            Assert.Equal(sequence, verifier.Packet.Sequence);
            for (var i = 0; i < verifier.Packet.ReadingCount; i++)
            {
                var reading = new PacketReading();
                verifier.Packet.GetReading(i, reading);
                received.Add(reading);
            }

            // A packet is split only when the next reading really did not fit.
            if (offset + taken < readings.Length)
            {
                Assert.True(signer.Length > maxBytes - 200, $"packet of {signer.Length} bytes was closed early");
            }

            offset += taken;
            sequence++;
            packets++;
        }

        Assert.True(packets > 3);
        Assert.Equal(readings.Length, received.Count);
        for (var i = 0; i < readings.Length; i++)
        {
            Assert.Equal(
                (readings[i].MeterId, readings[i].PointId, readings[i].TimeUtc, readings[i].Value, readings[i].Unit, readings[i].Flags),
                (received[i].MeterId, received[i].PointId, received[i].TimeUtc, received[i].Value, received[i].Unit, received[i].Flags));
        }
    }

    [Fact]
    public void Returns_zero_when_a_single_reading_cannot_fit()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), 300);
        var huge = new PacketReading(new string('m', 32), new string('p', 32), Created, new FixedDecimal(long.MinValue, 18), "kWh", ReadingFlags.TimeUnsynchronized | ReadingFlags.MeterError | ReadingFlags.Estimated | ReadingFlags.Rollover);
        Assert.Equal(0, signer.SignReadings(1, Created, new[] { huge }, 0, 1));
        Assert.Equal(0, signer.Length);
    }

    [Fact]
    public void Signs_status_command_and_reply_that_read_back_unchanged()
    {
        var mac = new ManagedPacketMac();
        var signer = new PacketSigner("gw-0001", 3, TestKeys.Gateway1V1, mac);
        var verifier = Verifier();

        var status = new GatewayStatus { State = GatewayState.Offline, Firmware = "0.4.1", UptimeSeconds = 86400, ClockSynchronized = true, QueuedReadings = 12, WillSequence = 7 };
        Assert.True(signer.SignStatus(7, Created, status));
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Status, TestKeys.Now));
        var statusBack = new GatewayStatus();
        verifier.Packet.GetStatus(statusBack);
        Assert.Equal(JsonSerializer.Serialize(status), JsonSerializer.Serialize(statusBack));

        var command = new GatewayCommand { Name = "poll-now", ExpiresUtc = TestKeys.Now.AddMinutes(5), Arguments = new[] { new CommandArgument("meter", "000012345678"), new CommandArgument("note", "a \"quoted\"\nline") } };
        Assert.True(signer.SignCommand(5, Created, command));
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Down, TestKeys.Now));
        var commandBack = new GatewayCommand();
        verifier.Packet.GetCommand(commandBack);
        Assert.Equal(JsonSerializer.Serialize(command), JsonSerializer.Serialize(commandBack));

        var reply = new CommandReply { CommandSequence = 5, Result = CommandResult.Failed, Message = "meter 000012345678 did not answer" };
        Assert.True(signer.SignReply(8, Created, reply));
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Reply, TestKeys.Now));
        var replyBack = new CommandReply();
        verifier.Packet.GetReply(replyBack);
        Assert.Equal(JsonSerializer.Serialize(reply), JsonSerializer.Serialize(replyBack));
        Assert.Equal(3, verifier.Packet.KeyVersion);
    }

    [Fact]
    public void Refuses_values_the_contract_forbids()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        PacketReading[] Batch(string meter, string unit) => new[] { new PacketReading(meter, "p", Created, new FixedDecimal(1, 0), unit, ReadingFlags.None) };
        Assert.Throws<ArgumentException>(() => signer.SignReadings(1, Created, Batch("bad id", "kWh"), 0, 1));
        Assert.Throws<ArgumentException>(() => signer.SignReadings(1, Created, Batch("m", ""), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.SignReadings(PacketLimits.MaxSequence + 1, Created, Batch("m", "V"), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.SignReadings(-1, Created, Batch("m", "V"), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.SignReadings(1, DateTime.MinValue, Batch("m", "V"), 0, 1));
        var beforeEpoch = new[] { new PacketReading("m", "p", new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc), new FixedDecimal(1, 0), "V", ReadingFlags.None) };
        Assert.Throws<ArgumentOutOfRangeException>(() => signer.SignReadings(1, Created, beforeEpoch, 0, 1));
        var duplicateArguments = new GatewayCommand { Name = "set", ExpiresUtc = TestKeys.Now, Arguments = new[] { new CommandArgument("a", "1"), new CommandArgument("a", "2") } };
        Assert.Throws<ArgumentException>(() => signer.SignCommand(1, Created, duplicateArguments));
        Assert.Throws<ArgumentException>(() => new PacketSigner("gw/1", 1, TestKeys.Gateway1V1, new ManagedPacketMac()));
        Assert.Throws<ArgumentException>(() => new PacketSigner("gw-1", 1, new byte[31], new ManagedPacketMac()));
    }

    [Fact]
    public void Building_and_signing_allocates_nothing_after_warm_up()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var readings = Enumerable.Range(0, 40)
            .Select(i => new PacketReading("000012345678", "0001" + i.ToString("0000"), Created, new FixedDecimal(123456789 + i, 3), "kWh", ReadingFlags.Estimated))
            .ToArray();
        var status = new GatewayStatus { Firmware = "0.4.1", UptimeSeconds = 10, ClockSynchronized = true };
        var reply = new CommandReply { CommandSequence = 3, Message = "done" };

        void SignAll(long sequence)
        {
            var offset = 0;
            while (offset < readings.Length)
            {
                offset += signer.SignReadings(sequence++, Created, readings, offset, readings.Length - offset);
            }

            signer.SignStatus(sequence++, Created, status);
            signer.SignReply(sequence, Created, reply);
        }

        SignAll(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
        {
            SignAll(1000 + (round * 100));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_same_input_always_gives_the_same_packet()
    {
        string Sign()
        {
            var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
            signer.SignReply(9, Created, new CommandReply { CommandSequence = 1, Result = CommandResult.Ok, Message = "ok" });
            return signer.PacketString();
        }

        Assert.Equal(Sign(), Sign());
        Assert.StartsWith("eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.", Sign());
    }

    private static PacketVerifier Verifier() => new(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac());
}
