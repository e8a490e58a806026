using EdgeMeter.Core.Commands;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Tests.Buffer;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Packet;

namespace EdgeMeter.Core.Tests.Commands;

public class CommandProcessorTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);
    private readonly SimulatedFlash _flash = new();
    private readonly RecordingControl _control = new();
    private readonly ManualClock _clock = new(Now);

    [Fact]
    public void A_signed_fresh_command_is_obeyed_and_answered()
    {
        using var processor = Processor();
        var reply = new CommandReply();

        Assert.True(processor.Handle(Command(5, "read-now"), reply));

        Assert.Equal((5L, CommandResult.Ok), (reply.CommandSequence, reply.Result));
        Assert.Equal(["read-now"], _control.Calls);
        Assert.Equal(5, processor.LastSequence);
    }

    [Fact]
    public void A_bad_signature_is_refused_and_answered()
    {
        using var processor = Processor();
        var reply = new CommandReply();

        Assert.True(processor.Handle(Command(5, "reboot", key: TestKeys.Wrong), reply));

        Assert.Equal(CommandResult.Rejected, reply.Result);
        Assert.Contains("signature", reply.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_control.Calls);
    }

    [Fact]
    public void An_expired_command_is_refused()
    {
        using var processor = Processor();
        var reply = new CommandReply();

        processor.Handle(Command(5, "reboot", expires: Now.AddSeconds(-1)), reply);

        Assert.Equal(CommandResult.Expired, reply.Result);
        Assert.Contains("expired", reply.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_control.Calls);
    }

    [Fact]
    public void A_replayed_command_is_refused_even_after_a_reboot()
    {
        var packet = Command(7, "reboot");
        using (var processor = Processor())
        {
            processor.Handle(packet, new CommandReply());
        }

        _flash.PowerLoss(PowerLossMode.DropUnflushed, new Random(3));
        using var restarted = Processor();
        var reply = new CommandReply();
        restarted.Handle(packet, reply);
        restarted.Handle(Command(6, "read-now"), new CommandReply());

        Assert.Equal(CommandResult.Rejected, reply.Result);
        Assert.Contains("replayed", reply.Message, StringComparison.Ordinal);
        Assert.Equal(["reboot"], _control.Calls);
    }

    [Fact]
    public void Unknown_commands_are_unsupported()
    {
        using var processor = Processor();
        var reply = new CommandReply();
        processor.Handle(Command(1, "self-destruct"), reply);
        Assert.Equal(CommandResult.Unsupported, reply.Result);
    }

    [Fact]
    public void Set_config_is_validated_before_anything_changes()
    {
        using var processor = Processor();
        var bad = new CommandReply();
        var good = new CommandReply();
        const string valid = """
            {"schema":1,"gatewayId":"gw-0001","keyVersion":1,"mqtt":{"host":"h"},"buses":[{"id":"b","link":"tcp://127.0.0.1:9"}],
             "meters":[{"id":"m","bus":"b","protocol":"modbus","unit":1,"points":[{"id":"p","register":1,"unit":"V"}]}]}
            """;

        processor.Handle(Command(1, "set-config", args: [new CommandArgument("config", valid.Replace("\"unit\":1", "\"unit\":999"))]), bad);
        processor.Handle(Command(2, "set-config", args: [new CommandArgument("config", valid)]), good);

        Assert.Equal(CommandResult.Failed, bad.Result);
        Assert.Contains("$.meters[0].unit", bad.Message, StringComparison.Ordinal);
        Assert.Equal(CommandResult.Ok, good.Result);
        Assert.Equal(["apply-config"], _control.Calls);
    }

    [Fact]
    public void A_configuration_of_the_largest_argument_size_arrives_in_one_down_packet_and_is_applied()
    {
        using var processor = Processor();
        var reply = new CommandReply();
        var configuration = TestConfigurations.Largest();
        var packet = Command(1, "set-config", args: [new CommandArgument("config", configuration)]);

        processor.Handle(packet, reply);

        Assert.InRange(packet.Length, PacketLimits.MaxDownPacketBytes * 3 / 4, PacketLimits.MaxDownPacketBytes);
        Assert.True(reply.Result == CommandResult.Ok, reply.Message);
        Assert.Equal(configuration, _control.AppliedConfig);
    }

    [Fact]
    public void A_down_packet_over_the_limit_is_refused_whole()
    {
        using var processor = Processor();
        var reply = new CommandReply();
        var configuration = TestConfigurations.Largest();

        processor.Handle(Command(1, "set-config", args: [new CommandArgument("config", configuration), new CommandArgument("spare", configuration)]), reply);

        Assert.Equal(CommandResult.Rejected, reply.Result);
        Assert.Contains("32768", reply.Message, StringComparison.Ordinal);
        Assert.Empty(_control.Calls);
    }

    [Fact]
    public void Platform_messages_are_kept()
    {
        using var processor = Processor();
        processor.Handle(Command(3, "platform-message", args: [new CommandArgument("text", "请于本月25日前核对计量点")]), new CommandReply());
        Assert.Equal("请于本月25日前核对计量点", _control.Message);
    }

    [Fact]
    public void Set_time_sets_the_clock_to_the_commands_signed_time_once()
    {
        using var processor = Processor();
        var packet = Command(4, "set-time", args: [new CommandArgument("status", "77")]);
        var reply = new CommandReply();
        var replayed = new CommandReply();

        processor.Handle(packet, reply);
        processor.Handle(packet, replayed);

        Assert.Equal(CommandResult.Ok, reply.Result);
        Assert.Equal(Now.AddSeconds(-2), _control.ClockSetTo);
        Assert.Equal("77", _control.AnsweredStatus);
        Assert.Equal(CommandResult.Rejected, replayed.Result);
    }

    [Fact]
    public void An_expired_set_time_moves_no_clock()
    {
        using var processor = Processor();
        var reply = new CommandReply();

        processor.Handle(Command(5, "set-time", expires: Now.AddSeconds(-1)), reply);

        Assert.Equal(CommandResult.Expired, reply.Result);
        Assert.Null(_control.ClockSetTo);
    }

    private CommandProcessor Processor() =>
        new("gw-0001", new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), PacketLimits.MaxDownPacketBytes, _flash, _control, _clock);

    private static byte[] Command(long sequence, string name, byte[]? key = null, DateTime? expires = null, CommandArgument[]? args = null)
    {
        var signer = new PacketSigner("gw-0001", 1, key ?? TestKeys.Gateway1V1, new ManagedPacketMac(), 3 * PacketLimits.MaxDownPacketBytes);
        var command = new GatewayCommand { Name = name, ExpiresUtc = expires ?? Now.AddMinutes(5), Arguments = args ?? [] };
        Assert.True(signer.SignCommand(sequence, Now.AddSeconds(-2), command));
        return signer.Packet[..signer.Length];
    }

    private sealed class RecordingControl : IGatewayControl
    {
        public List<string> Calls { get; } = [];

        public string Message { get; private set; } = "";

        public void ReadNow() => Calls.Add("read-now");

        public string? SyncMeterTime()
        {
            Calls.Add("sync-time");
            return null;
        }

        public string? AppliedConfig { get; private set; }

        public string? ApplyConfig(byte[] json, int count)
        {
            Calls.Add("apply-config");
            AppliedConfig = System.Text.Encoding.UTF8.GetString(json, 0, count);
            return null;
        }

        public string? Reboot()
        {
            Calls.Add("reboot");
            return null;
        }

        public string? UpdateFirmware(string url, string sha256, string signature) => "not supported";

        public void ShowPlatformMessage(string text) => Message = text;

        public DateTime? ClockSetTo { get; private set; }

        public string? SetClock(DateTime utc, string statusSequence)
        {
            ClockSetTo = utc;
            AnsweredStatus = statusSequence;
            return null;
        }

        public string AnsweredStatus { get; private set; } = "";
    }
}
