using System;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Packet;

/// <summary>
/// Packet signing and verification on the device's runtime (docs/packet-format.md): the gateway's signer must
/// produce the shared vectors byte for byte, and the verifier must accept and refuse exactly as on a PC.
/// </summary>
[TestClass]
public static class PacketVectorTests
{
    private static readonly DateTime Now = new DateTime(2025, 6, 1);

    [TestMethod]
    public static void Signs_the_reply_ok_vector_exactly()
    {
        var signer = new PacketSigner("gw-0001", 1, Key(PacketVectors.Key), new ManagedPacketMac());
        var reply = new CommandReply { CommandSequence = 17, Result = CommandResult.Ok, Message = "polled 2 points" };

        Assert.IsTrue(signer.SignReply(1007, new DateTime(2025, 5, 31, 23, 59, 0), reply));

        Assert.AreEqual(PacketVectors.ReplyOk, signer.PacketString());
    }

    [TestMethod]
    public static void Signs_the_up_v2_typical_vector_exactly_and_reads_it_back()
    {
        var points = new[] { "00010000", "00020000", "02010100", "02020100", "02030000" };
        var units = new[] { "kWh", "kWh", "V", "A", "kW" };
        var mantissas = new long[] { 1234567, 1200, 2201, 5123, 11234 };
        var scales = new[] { 2, 2, 1, 3, 4 };
        var readAt = new DateTime(2025, 5, 31, 23, 45, 0);
        var readings = new PacketReading[10];
        for (var i = 0; i < readings.Length; i++)
        {
            var p = i % 5;
            readings[i] = new PacketReading("00001234567" + (8 + (i / 5)).ToString(), points[p], readAt, new EdgeMeter.Core.Values.FixedDecimal(mantissas[p] + i, scales[p]), units[p], ReadingFlags.None);
            readings[i].Sequence = 700001 + i;
        }

        var signer = new PacketSigner("gw-0001", 1, Key(PacketVectors.Key), new ManagedPacketMac());
        Assert.AreEqual(10, signer.SignReadings(3001, new DateTime(2025, 5, 31, 23, 59, 0), readings, 0, readings.Length));
        Assert.AreEqual(PacketVectors.UpV2Typical, signer.PacketString());

        var verifier = Verifier(PacketVectors.Key);
        Assert.IsTrue(verifier.Verify(PacketVectors.UpV2Typical, "gw-0001", PacketKind.Up, Now) == PacketError.None, verifier.Reason);
        Assert.AreEqual(10, verifier.Packet.ReadingCount);
        var back = new PacketReading();
        verifier.Packet.GetReading(9, back);
        Assert.AreEqual(700010L, back.Sequence);
        Assert.AreEqual("000012345679", back.MeterId);
        Assert.AreEqual("02030000", back.PointId);
        Assert.AreEqual("kW", back.Unit);
        Assert.IsTrue(back.TimeUtc == readAt);
        Assert.IsTrue(back.Value.Equals(new EdgeMeter.Core.Values.FixedDecimal(11243, 4)));
    }

    [TestMethod]
    public static void Verifies_the_single_reading_vector()
    {
        var verifier = Verifier(PacketVectors.Key);

        Assert.IsTrue(verifier.Verify(PacketVectors.UpSingleReading, "gw-0001", PacketKind.Up, Now) == PacketError.None, verifier.Reason);

        var packet = verifier.Packet;
        Assert.AreEqual("gw-0001", packet.GatewayId);
        Assert.AreEqual(1001L, packet.Sequence);
        Assert.AreEqual(1, packet.ReadingCount);
        var reading = new PacketReading();
        packet.GetReading(0, reading);
        Assert.AreEqual("000012345678", reading.MeterId);
        Assert.AreEqual("00010000", reading.PointId);
        Assert.AreEqual("kWh", reading.Unit);
        Assert.IsTrue(reading.Value.Equals(new EdgeMeter.Core.Values.FixedDecimal(1234567, 2)));
    }

    [TestMethod]
    public static void Verifies_the_command_vector()
    {
        var verifier = Verifier(PacketVectors.Key);

        Assert.IsTrue(verifier.Verify(PacketVectors.DownCommand, "gw-0001", PacketKind.Down, Now) == PacketError.None, verifier.Reason);

        var command = new GatewayCommand();
        verifier.Packet.GetCommand(command);
        Assert.AreEqual("poll-now", command.Name);
        Assert.AreEqual(2, command.Arguments.Length);
        Assert.AreEqual("meter", command.Arguments[0].Name);
        Assert.AreEqual("000012345678", command.Arguments[0].Value);
    }

    [TestMethod]
    public static void A_set_config_of_the_largest_argument_travels_in_one_down_packet_through_the_gateways_command_verifier()
    {
        var configuration = "{\"schema\":1,\"gatewayId\":\"gw-0001\",\"keyVersion\":1,\"mqtt\":{\"host\":\"h\"},\"buses\":[{\"id\":\"b\",\"link\":\"uart:COM2\"}],\"meters\":[]}";
        configuration += new string(' ', PacketLimits.MaxArgumentLength - configuration.Length);
        var command = new GatewayCommand { Name = "set-config", ExpiresUtc = Now.AddMinutes(5), Arguments = new[] { new CommandArgument("config", configuration) } };
        var signer = new PacketSigner("gw-0001", 1, Key(PacketVectors.Key), new ManagedPacketMac(), PacketLimits.MaxDownPacketBytes);
        Assert.IsTrue(signer.SignCommand(20, Now, command));

        var verifier = new PacketVerifier(new SingleKeyStore(Key(PacketVectors.Key)), new ManagedPacketMac(), PacketLimits.MaxDownPacketBytes, PacketLimits.MaxCommandTokens);
        Assert.IsTrue(verifier.Verify(signer.PacketString(), "gw-0001", PacketKind.Down, Now) == PacketError.None, verifier.Reason);

        var received = new GatewayCommand();
        verifier.Packet.GetCommand(received);
        Assert.AreEqual(PacketLimits.MaxArgumentLength, received.Arguments[0].Value.Length);
        Assert.AreEqual(configuration, received.Arguments[0].Value);
    }

    [TestMethod]
    public static void Refuses_the_invalid_vectors_for_the_documented_reason()
    {
        Refused(PacketVectors.Key, PacketVectors.TamperedPayload, "gw-0001", PacketKind.Up, PacketError.BadSignature);
        Refused(PacketVectors.WrongKeyHex, PacketVectors.WrongKey, "gw-0001", PacketKind.Up, PacketError.BadSignature);
        Refused(PacketVectors.Key, PacketVectors.TruncatedSignature, "gw-0001", PacketKind.Up, PacketError.BadSignature);
        Refused(PacketVectors.Key, PacketVectors.AlgNone, "gw-0001", PacketKind.Up, PacketError.AlgorithmNotAllowed);
        Refused(PacketVectors.Key, PacketVectors.ExpiredCommand, "gw-0001", PacketKind.Down, PacketError.Expired);
        Refused(PacketVectors.Key, PacketVectors.TopicOfAnotherGateway, "gw-0002", PacketKind.Up, PacketError.GatewayMismatch);
    }

    private static void Refused(string keyHex, string packet, string topicGateway, PacketKind topicKind, PacketError expected)
    {
        var verifier = Verifier(keyHex);
        var error = verifier.Verify(packet, topicGateway, topicKind, Now);
        Assert.IsTrue(error == expected, verifier.Reason);
    }

    private static PacketVerifier Verifier(string keyHex) => new PacketVerifier(new SingleKeyStore(Key(keyHex)), new ManagedPacketMac());

    private static byte[] Key(string hex)
    {
        var key = Hex.Decode(hex);
        Assert.IsNotNull(key);
        return key!;
    }
}
