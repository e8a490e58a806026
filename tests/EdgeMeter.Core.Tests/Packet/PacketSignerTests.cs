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
    public void Signs_v1_readings_that_verify_and_read_back_unchanged()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac()) { UpSchema = 1 };
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
    public void Signs_v2_readings_in_rows_with_tables_that_read_back_unchanged()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var quarter = Created.AddMinutes(-14);
        var frozen = new DateTime(2025, 5, 31, 0, 0, 0, DateTimeKind.Utc);
        var readings = new[]
        {
            new PacketReading("000012345678", "00010000", quarter, new FixedDecimal(1234567, 2), "kWh", ReadingFlags.None) { Sequence = 500 },
            new PacketReading("000012345678", "02030000", quarter, new FixedDecimal(-12340, 3), "kW", ReadingFlags.None) { Sequence = 501 },
            new PacketReading("000012345679", "00010000", quarter, new FixedDecimal(42, 0), "kWh", ReadingFlags.None) { Sequence = 502 },
            new PacketReading("000012345679", "00010000", frozen, new FixedDecimal(40, 0), "kWh", ReadingFlags.Frozen) { Sequence = 503 },
            new PacketReading("modbus:3", "hr:40100", quarter.AddSeconds(2), new FixedDecimal(7, 1), "m³", ReadingFlags.Estimated | ReadingFlags.TimeUnsynchronized) { Sequence = 504 },
        };
        Assert.Equal(5, signer.SignReadings(42, Created, readings, 0, 5));

        var verifier = Verifier();
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now));
        var packet = verifier.Packet;
        Assert.Equal(2, packet.SchemaVersion);
        Assert.Equal(
            "{\"v\":2,\"k\":\"up\",\"gw\":\"gw-0001\",\"seq\":42,\"ts\":\"2025-05-31T23:59:00Z\",\"n\":500,\"t\":\"2025-05-31T23:45:00Z\",\"r\":["
            + "[0,0,0,\"12345.67\",\"-12.340\"],[1,0,0,\"42\"],[1,-85500,[\"frozen\"],0,\"40\"],[2,2,[\"time-unsync\",\"estimated\"],2,\"0.7\"]],"
            + "\"m\":[\"000012345678\",\"000012345679\",\"modbus:3\"],\"p\":[\"00010000\",\"02030000\",\"hr:40100\"],\"u\":[\"kWh\",\"kW\",\"m³\"]}",
            packet.PayloadJson());
        Assert.Equal(5, packet.ReadingCount);
        for (var i = 0; i < readings.Length; i++)
        {
            var back = new PacketReading();
            packet.GetReading(i, back);
            Assert.Equal(
                (readings[i].Sequence, readings[i].MeterId, readings[i].PointId, readings[i].TimeUtc, readings[i].Value, readings[i].Unit, readings[i].Flags),
                (back.Sequence, back.MeterId, back.PointId, back.TimeUtc, back.Value, back.Unit, back.Flags));
        }
    }

    [Fact]
    public void A_gap_in_reading_numbers_ends_a_v2_packet()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        var readings = new[] { 10L, 11, 13, 14 }
            .Select(n => new PacketReading("m1", "p1", Created, new FixedDecimal(n, 0), "V", ReadingFlags.None) { Sequence = n })
            .ToArray();
        Assert.Equal(2, signer.SignReadings(1, Created, readings, 0, 4));
        Assert.Equal(2, signer.SignReadings(2, Created, readings, 2, 2));
        var verifier = Verifier();
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now));
        var back = new PacketReading();
        verifier.Packet.GetReading(1, back);
        Assert.Equal((14L, new FixedDecimal(14, 0)), (back.Sequence, back.Value));
    }

    [Fact]
    public void A_v2_packet_names_at_most_32_meters_or_points()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), 8192);
        var readings = Enumerable.Range(0, 100)
            .Select(i => new PacketReading("m" + i, "p", Created, new FixedDecimal(i, 0), "V", ReadingFlags.None) { Sequence = i })
            .ToArray();
        Assert.Equal(32, signer.SignReadings(1, Created, readings, 0, 100));
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), 8192);
        Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now));
        Assert.Equal(32, verifier.Packet.ReadingCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_packet_size_takes_what_fits_and_closes_within_the_limit(int schema)
    {
        var random = new Random(7);
        var readings = Enumerable.Range(0, 80)
            .Select(i => new PacketReading("00001234560" + (i / 8 % 10), "0" + (i % 8) + "010000", Created, new FixedDecimal(random.NextInt64(0, 100_000_000), random.Next(0, 4)), i % 8 < 4 ? "kWh" : "m³", (ReadingFlags)(i / 20 % 3)) { Sequence = i })
            .ToArray();
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), 1400);
        for (var maxBytes = 400; maxBytes <= 1400; maxBytes++)
        {
            var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), maxBytes) { UpSchema = schema };
            for (var offset = 0; offset < readings.Length;)
            {
                var taken = signer.SignReadings(1, Created, readings, offset, readings.Length - offset);
                Assert.True(taken > 0, $"{maxBytes} bytes: nothing fitted at reading {offset}");
                Assert.True(signer.Length <= maxBytes, $"{maxBytes} bytes: a packet of {signer.Length}");
                Assert.Equal(PacketError.None, verifier.Verify(signer.Packet, 0, signer.Length, "gw-0001", PacketKind.Up, TestKeys.Now));
                Assert.Equal(taken, verifier.Packet.ReadingCount);
                offset += taken;
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Readings_added_in_pieces_make_the_same_packet_as_readings_signed_at_once(int schema)
    {
        var random = new Random(11);
        var readings = Enumerable.Range(0, 60)
            .Select(i => new PacketReading("00001234560" + (i / 8 % 10), "0" + (i % 8) + "010000", Created.AddSeconds(i / 8 * 60), new FixedDecimal(random.NextInt64(0, 100_000_000), random.Next(0, 4)), i % 8 < 4 ? "kWh" : "V", (ReadingFlags)(i / 20 % 3)) { Sequence = 500 + i })
            .ToArray();
        foreach (var maxBytes in new[] { 500, 998, 2000 })
        {
            var whole = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), maxBytes) { UpSchema = schema };
            var pieces = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), maxBytes) { UpSchema = schema };
            var expected = whole.SignReadings(7, Created, readings, 0, readings.Length);

            pieces.BeginReadings(7, Created);
            var taken = 0;
            for (var offset = 0; offset < readings.Length; offset += 8)
            {
                var piece = Math.Min(8, readings.Length - offset);
                var added = pieces.AddReadings(readings, offset, piece);
                taken += added;
                if (added < piece)
                {
                    Assert.Equal(0, pieces.AddReadings(readings, offset + added, piece - added)); // full stays full
                    break;
                }
            }

            Assert.True(expected > 0 && (expected < readings.Length || maxBytes == 2000), $"{maxBytes} bytes took {expected}"); // full mid-piece below 2,000
            Assert.Equal(expected, taken);
            Assert.Equal(expected, pieces.EndReadings());
            Assert.Equal(whole.PacketString(), pieces.PacketString());
        }
    }

    [Fact]
    public void A_packet_begun_with_no_reading_added_is_not_signed()
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac());
        signer.BeginReadings(1, Created);

        Assert.Equal(0, signer.EndReadings());
        Assert.Equal(0, signer.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Splits_a_large_batch_into_packets_within_the_size_limit_in_order(int schema)
    {
        const int maxBytes = 700;
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac(), maxBytes) { UpSchema = schema };
        var random = new Random(99);
        var readings = Enumerable.Range(0, 57)
            .Select(i => new PacketReading($"meter-{i % 7}", $"point:{i}", Created.AddSeconds(i), new FixedDecimal(random.NextInt64(long.MinValue, long.MaxValue), random.Next(0, 19)), i % 3 == 0 ? "kvarh" : "m³", (ReadingFlags)(i % 16)) { Sequence = 1000 + i })
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
            Assert.Equal((sequence, schema), (verifier.Packet.Sequence, verifier.Packet.SchemaVersion));
            for (var i = 0; i < verifier.Packet.ReadingCount; i++)
            {
                var reading = new PacketReading();
                verifier.Packet.GetReading(i, reading);
                received.Add(reading);
            }

            // A packet is split only when the next reading really did not fit: signing one more fails.
            if (offset + taken < readings.Length)
            {
                var packet = signer.PacketString();
                Assert.Equal(taken, signer.SignReadings(sequence, Created, readings, offset, taken + 1));
                Assert.Equal(packet, signer.PacketString());
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
                (readings[i].Sequence, readings[i].MeterId, readings[i].PointId, readings[i].TimeUtc, readings[i].Value, readings[i].Unit, readings[i].Flags),
                (received[i].Sequence, received[i].MeterId, received[i].PointId, received[i].TimeUtc, received[i].Value, received[i].Unit, received[i].Flags));
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Building_and_signing_allocates_nothing_after_warm_up(int schema)
    {
        var signer = new PacketSigner("gw-0001", 1, TestKeys.Gateway1V1, new ManagedPacketMac()) { UpSchema = schema };
        var readings = Enumerable.Range(0, 40)
            .Select(i => new PacketReading("00001234567" + (i % 3), "0001" + i.ToString("0000"), Created.AddSeconds(i / 10), new FixedDecimal(123456789 + i, 3), "kWh", ReadingFlags.Estimated) { Sequence = i })
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
