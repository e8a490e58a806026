using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Commands;

/// <summary>
/// Obeys signed commands from the down topic: verified with the gateway's own key, refused when expired or when
/// their sequence number is not above the last one obeyed (kept in flash, so a replay after a reboot is refused
/// too), and every one answered on the reply topic, refusals included.
/// </summary>
public sealed class CommandProcessor : ICommandHandler, System.IDisposable
{
    public const string ReadNow = "read-now";
    public const string SyncTime = "sync-time";
    public const string SetConfig = "set-config";
    public const string Reboot = "reboot";
    public const string FirmwareUpdate = "firmware-update";
    public const string PlatformMessage = "platform-message";

    /// <summary>
    /// Sets the wall clock to the command's own signed time: for gateways that cannot reach an NTP server. Argument
    /// "status": the sequence number of the online status it answers (<see cref="SignedTimePolicy"/>).
    /// </summary>
    public const string SetTime = "set-time";

    /// <summary>
    /// Each command gets a verifier sized to it (whole kilobytes) for as long as it is handled, and then lets it go:
    /// commands come minutes apart, and a verifier kept for the gateway's lifetime would hold ~10 KB of a board's ~100 KB
    /// heap between them. For a command of up to 2 KB that is about 10 KB in 26 objects, none above 3.1 KB (nanoFramework
    /// model, docs/performance.md); a larger one, up to the 32 KB of a down packet, about 5 bytes per packet byte. A
    /// command the heap has no room for is answered failed.
    /// </summary>
    public const int VerifierGranuleBytes = 1024;

    private const string FileName = "command-seq";
    private const string Magic = "EMK1";

    private readonly IPacketKeyStore _keys;
    private readonly IPacketMac _mac;
    private readonly int _maxPacketBytes;
    private readonly DurablePair _lastObeyed;
    private readonly string _gatewayId;
    private readonly IGatewayControl _control;
    private readonly IClock _clock;
    private readonly GatewayCommand _command = new GatewayCommand();
    private System.DateTime _createdUtc;

    public CommandProcessor(string gatewayId, IPacketKeyStore keys, IPacketMac mac, int maxPacketBytes, IFlashFileSystem fileSystem, IGatewayControl control, IClock clock)
    {
        _gatewayId = gatewayId;
        _keys = keys;
        _mac = mac;
        _maxPacketBytes = maxPacketBytes;
        _lastObeyed = DurablePair.Open(fileSystem, FileName, Magic);
        _control = control;
        _clock = clock;
    }

    /// <summary>The sequence number of the last command obeyed (persisted).</summary>
    public long LastSequence => _lastObeyed.First;

    public long Refused { get; private set; }

    public bool Handle(byte[] packet, CommandReply reply)
    {
        reply.CommandSequence = 0;
        if (packet.Length > _maxPacketBytes)
        {
            return Refuse(reply, CommandResult.Rejected, "refused: packet is " + packet.Length + " bytes; the limit is " + _maxPacketBytes);
        }

        var verifier = SizedVerifier(packet.Length);
        if (verifier == null)
        {
            return Refuse(reply, CommandResult.Failed, "refused: a " + packet.Length + "-byte command needs more memory than this gateway has free");
        }

        var error = verifier.Verify(packet, 0, packet.Length, _gatewayId, PacketKind.Down, _clock.UtcNow);
        if (error != PacketError.None)
        {
            return Refuse(reply, error == PacketError.Expired ? CommandResult.Expired : CommandResult.Rejected, "refused: " + verifier.Reason);
        }

        var sequence = verifier.Packet.Sequence;
        reply.CommandSequence = sequence;
        if (sequence <= _lastObeyed.First)
        {
            return Refuse(reply, CommandResult.Rejected, "refused: replayed command (seq " + sequence + " is not above " + _lastObeyed.First + ")");
        }

        verifier.Packet.GetCommand(_command);
        _createdUtc = verifier.Packet.CreatedUtc;
        _lastObeyed.Save(sequence, 0);
        if (!IsKnown(_command.Name))
        {
            return Refuse(reply, CommandResult.Unsupported, "unknown command \"" + _command.Name + "\"");
        }

        var problem = Execute(_command);
        reply.Result = problem == null ? CommandResult.Ok : CommandResult.Failed;
        reply.Message = Fit(problem ?? (_command.Name + " done"));
        return true;
    }

    public void Dispose() => _lastObeyed.Dispose();

    /// <summary>A verifier for one command, rounded up to whole kilobytes; null when the heap cannot hold it.</summary>
    private PacketVerifier? SizedVerifier(int packetBytes)
    {
        var granules = (packetBytes + VerifierGranuleBytes - 1) / VerifierGranuleBytes;
        try
        {
            return new PacketVerifier(_keys, _mac, (granules < 1 ? 1 : granules) * VerifierGranuleBytes, PacketLimits.MaxCommandTokens);
        }
        catch (System.OutOfMemoryException)
        {
            return null;
        }
    }

    private string? Execute(GatewayCommand command)
    {
        switch (command.Name)
        {
            case ReadNow:
                _control.ReadNow();
                return null;
            case SyncTime:
                return _control.SyncMeterTime();
            case PlatformMessage:
                _control.ShowPlatformMessage(Argument(command, "text"));
                return null;
            case SetTime:
                return _control.SetClock(_createdUtc, Argument(command, "status"));
            case Reboot:
                return _control.Reboot();
            case SetConfig:
                return ApplyConfig(Argument(command, "config"));
            case FirmwareUpdate:
                var url = Argument(command, "url");
                var sha256 = Argument(command, "sha256");
                return url.Length == 0 || sha256.Length != 64
                    ? "firmware-update needs url and a 64-hex-digit sha256"
                    : _control.UpdateFirmware(url, sha256, Argument(command, "signature"));
            default:
                return "unknown command \"" + command.Name + "\"";
        }
    }

    private static bool IsKnown(string name) =>
        name == ReadNow || name == SyncTime || name == SetTime || name == PlatformMessage || name == Reboot || name == SetConfig || name == FirmwareUpdate;

    private string? ApplyConfig(string text)
    {
        var bytes = Utf8.GetBytes(text);
        if (GatewayConfigReader.Read(bytes, bytes.Length, out var errors) == null)
        {
            var message = "set-config refused, the configuration has " + errors.Length + " problem(s): " + errors[0];
            return message;
        }

        return _control.ApplyConfig(bytes, bytes.Length);
    }

    private bool Refuse(CommandReply reply, CommandResult result, string message)
    {
        Refused++;
        reply.Result = result;
        reply.Message = Fit(message);
        return true;
    }

    private static string Fit(string message) =>
        message.Length <= PacketLimits.MaxTextLength ? message : message.Substring(0, PacketLimits.MaxTextLength - 3) + "...";

    private static string Argument(GatewayCommand command, string name)
    {
        for (var i = 0; i < command.Arguments.Length; i++)
        {
            if (command.Arguments[i].Name == name)
            {
                return command.Arguments[i].Value;
            }
        }

        return "";
    }
}
