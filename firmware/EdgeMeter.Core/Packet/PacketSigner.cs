using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Json;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// Builds and signs one gateway's packets: JWS compact serialization, HS256, header
/// <c>{"alg":"HS256","kid":"&lt;gatewayId&gt;.&lt;keyVersion&gt;"}</c>. All buffers are allocated here; signing
/// reuses them, so a steady stream of packets creates no garbage. The packet is valid in
/// <c>Packet[0..Length)</c> until the next Sign call. Not thread-safe: one signer per sending thread.
/// </summary>
/// <remarks>
/// Values the contract forbids (bad ids, sequence out of range, unknown enum values) throw ArgumentException: they
/// are configuration or programming errors, not data. Content that does not fit the packet size returns 0/false.
/// A platform uses the same class, constructed with the target gateway's id and key, to sign commands.
/// </remarks>
public sealed class PacketSigner
{
    private readonly byte[] _key;
    private readonly IPacketMac _mac;
    private readonly byte[] _macOutput;
    private readonly JsonWriter _json;
    private readonly int _payloadStart;
    private readonly CompactReadingsWriter _compact = new CompactReadingsWriter();
    private int _upSchema = PacketLimits.CompactUpSchemaVersion;
    private int _readingsTaken;
    private bool _readingsFull;

    public PacketSigner(string gatewayId, int keyVersion, byte[] key, IPacketMac mac)
        : this(gatewayId, keyVersion, key, mac, PacketLimits.DefaultMaxPacketBytes)
    {
    }

    public PacketSigner(string gatewayId, int keyVersion, byte[] key, IPacketMac mac, int maxPacketBytes)
    {
        if (!GatewayIdentity.IsGatewayId(gatewayId))
        {
            throw new System.ArgumentException("invalid gateway id", nameof(gatewayId));
        }

        if (keyVersion < 0 || keyVersion > GatewayIdentity.MaxKeyVersion)
        {
            throw new System.ArgumentOutOfRangeException(nameof(keyVersion));
        }

        if (key == null || key.Length < GatewayIdentity.MinKeyBytes)
        {
            throw new System.ArgumentException("HS256 keys must be at least 32 bytes", nameof(key));
        }

        GatewayId = gatewayId;
        KeyVersion = keyVersion;
        MaxPacketBytes = maxPacketBytes;
        _key = key;
        _mac = mac;
        _macOutput = new byte[mac.MacLength];
        Packet = new byte[maxPacketBytes];

        var header = new JsonWriter(PacketLimits.MaxHeaderBytes);
        header.BeginObject();
        header.Name(PacketFields.Algorithm);
        header.String(mac.Algorithm);
        header.Name(PacketFields.KeyId);
        header.String(PacketKeyId.Format(gatewayId, keyVersion));
        header.EndObject();
        var headerCharacters = Base64Url.EncodedLength(header.Length);
        var signatureCharacters = Base64Url.EncodedLength(mac.MacLength);
        var payloadCharacters = maxPacketBytes - headerCharacters - 2 - signatureCharacters;
        MaxPayloadBytes = Base64Url.MaxDecodedLength(payloadCharacters);
        if (MaxPayloadBytes < 128)
        {
            throw new System.ArgumentOutOfRangeException(nameof(maxPacketBytes), "packet size too small for any payload");
        }

        Base64Url.Encode(header.Buffer, 0, header.Length, Packet, 0);
        Packet[headerCharacters] = (byte)'.';
        _payloadStart = headerCharacters + 1;
        _json = new JsonWriter(MaxPayloadBytes);
    }

    public string GatewayId { get; }

    public int KeyVersion { get; }

    public int MaxPacketBytes { get; }

    /// <summary>
    /// The payload schema of "up" packets: 2 (compact, the default) or 1 (one object per reading, for platforms that
    /// parse only v1). Status, command and reply packets are always v1.
    /// </summary>
    public int UpSchema
    {
        get => _upSchema;
        set
        {
            if (value != PacketLimits.SchemaVersion && value != PacketLimits.CompactUpSchemaVersion)
            {
                throw new System.ArgumentOutOfRangeException(nameof(value), "up packets are schema 1 or 2");
            }

            _upSchema = value;
        }
    }

    /// <summary>The largest payload JSON (in bytes) that still fits <see cref="MaxPacketBytes"/> once encoded.</summary>
    public int MaxPayloadBytes { get; }

    /// <summary>The last packet signed, as ASCII bytes in <c>[0, Length)</c>.</summary>
    public byte[] Packet { get; }

    public int Length { get; private set; }

    /// <summary>The last packet as a string (allocates).</summary>
    public string PacketString()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = (char)Packet[i];
        }

        return new string(chars);
    }

    /// <summary>
    /// Signs an "up" packet with as many of <c>readings[offset..offset+count)</c> as fit, in order, and returns how
    /// many it took; send the rest in further packets, each with its own sequence number. In schema v2 a packet also
    /// ends where the readings' numbers are not consecutive. Returns 0 (and no packet) if not even the first reading
    /// fits.
    /// </summary>
    public int SignReadings(long sequence, System.DateTime createdUtc, PacketReading[] readings, int offset, int count)
    {
        if (count < 1)
        {
            throw new System.ArgumentOutOfRangeException(nameof(count), "a readings packet carries at least one reading");
        }

        for (var i = 0; i < count; i++)
        {
            RequireReading(readings[offset + i]);
        }

        BeginReadings(sequence, createdUtc);
        AddReadings(readings, offset, count);
        return EndReadings();
    }

    /// <summary>
    /// Starts an "up" packet whose readings come in pieces (<see cref="AddReadings"/>), so that a sender needs only a
    /// few packet readings at a time rather than a packet's worth; <see cref="EndReadings"/> signs it.
    /// </summary>
    public void BeginReadings(long sequence, System.DateTime createdUtc)
    {
        RequireEnvelope(sequence, createdUtc);
        PayloadWriter.BeginEnvelope(_json, PacketKind.Up, _upSchema, GatewayId, sequence, createdUtc);
        _readingsTaken = 0;
        _readingsFull = false;
        if (_upSchema == PacketLimits.SchemaVersion)
        {
            _json.Name(PacketFields.Readings);
            _json.BeginArray();
        }
        else
        {
            _compact.Begin();
        }
    }

    /// <summary>
    /// Adds as many of <c>readings[offset..offset+count)</c> as still fit, in order, and returns how many it took.
    /// Fewer than <paramref name="count"/> means the packet is full: later calls take none.
    /// </summary>
    public int AddReadings(PacketReading[] readings, int offset, int count)
    {
        var taken = 0;
        while (taken < count && !_readingsFull)
        {
            var reading = readings[offset + taken];
            RequireReading(reading);
            var fits = _upSchema == PacketLimits.SchemaVersion
                ? TryAppendReadingObject(reading)
                : _compact.TryAppend(_json, MaxPayloadBytes, reading);
            if (!fits)
            {
                _readingsFull = true;
                break;
            }

            taken++;
        }

        _readingsTaken += taken;
        return taken;
    }

    /// <summary>Closes and signs the packet begun by <see cref="BeginReadings"/>: how many readings it carries (0: no packet).</summary>
    public int EndReadings()
    {
        if (_readingsTaken == 0)
        {
            Length = 0;
            return 0;
        }

        if (_upSchema == PacketLimits.SchemaVersion)
        {
            _json.EndArray();
            _json.EndObject();
        }
        else
        {
            _compact.End(_json);
        }

        return Finish() ? _readingsTaken : 0;
    }

    // Schema v1: "r" holds one object per reading.
    private bool TryAppendReadingObject(PacketReading reading)
    {
        var mark = _json.Mark();
        PayloadWriter.Reading(_json, reading);
        if (_json.Overflowed || _json.Length + 2 > MaxPayloadBytes)
        {
            _json.Restore(mark);
            return false;
        }

        return true;
    }

    public bool SignStatus(long sequence, System.DateTime createdUtc, GatewayStatus status)
    {
        RequireEnvelope(sequence, createdUtc);
        if (!PayloadRules.IsText(status.Firmware) || !PayloadRules.IsSequence(status.UptimeSeconds)
            || !PayloadRules.IsSequence(status.QueuedReadings) || !PayloadRules.IsSequence(status.WillSequence)
            || (int)status.State < 0 || (int)status.State > (int)GatewayState.Offline
            || status.FreeMemory < -1 || !PayloadRules.IsSequence(status.DroppedReadings) || !PayloadRules.IsSequence(status.Connections)
            || !PayloadRules.IsText(status.PlatformMessage) || !HealthIsValid(status))
        {
            throw new System.ArgumentException("status has a value the packet contract does not allow", nameof(status));
        }

        PayloadWriter.BeginEnvelope(_json, PacketKind.Status, PacketLimits.SchemaVersion, GatewayId, sequence, createdUtc);
        PayloadWriter.Status(_json, status);
        _json.EndObject();
        return Finish();
    }

    /// <summary>Signs a "down" packet; <paramref name="sequence"/> is the command's own sequence number.</summary>
    public bool SignCommand(long sequence, System.DateTime createdUtc, GatewayCommand command)
    {
        RequireEnvelope(sequence, createdUtc);
        RequireCommand(command);
        PayloadWriter.BeginEnvelope(_json, PacketKind.Down, PacketLimits.SchemaVersion, GatewayId, sequence, createdUtc);
        PayloadWriter.Command(_json, command);
        _json.EndObject();
        return Finish();
    }

    public bool SignReply(long sequence, System.DateTime createdUtc, CommandReply reply)
    {
        RequireEnvelope(sequence, createdUtc);
        if (!PayloadRules.IsSequence(reply.CommandSequence) || !PayloadRules.IsText(reply.Message)
            || (int)reply.Result < 0 || (int)reply.Result > (int)CommandResult.Unsupported)
        {
            throw new System.ArgumentException("reply has a value the packet contract does not allow", nameof(reply));
        }

        PayloadWriter.BeginEnvelope(_json, PacketKind.Reply, PacketLimits.SchemaVersion, GatewayId, sequence, createdUtc);
        PayloadWriter.Reply(_json, reply);
        _json.EndObject();
        return Finish();
    }

    // Encodes the payload after the fixed header, MACs "header.payload" in place and appends ".signature".
    private bool Finish()
    {
        if (_json.Overflowed)
        {
            Length = 0;
            return false;
        }

        var position = _payloadStart + Base64Url.Encode(_json.Buffer, 0, _json.Length, Packet, _payloadStart);
        _mac.Compute(_key, Packet, 0, position, _macOutput, 0);
        Packet[position++] = (byte)'.';
        position += Base64Url.Encode(_macOutput, 0, _macOutput.Length, Packet, position);
        Length = position;
        return true;
    }

    private static void RequireEnvelope(long sequence, System.DateTime createdUtc)
    {
        if (!PayloadRules.IsSequence(sequence))
        {
            throw new System.ArgumentOutOfRangeException(nameof(sequence), "sequence numbers run from 0 to 2^53-1");
        }

        RequireTime(createdUtc);
    }

    private static void RequireTime(System.DateTime utc)
    {
        if (!PacketText.IsInRange(utc))
        {
            throw new System.ArgumentOutOfRangeException(nameof(utc), "packet times run from 1970 to 3000");
        }
    }

    private static bool HealthIsValid(GatewayStatus status)
    {
        if (!status.HasMeterEntries || status.BusCount < 0 || status.BusCount > status.Buses.Length)
        {
            return false;
        }

        for (var i = 0; i < status.MeterCount; i++)
        {
            var meter = status.Meter(i);
            if (!PayloadRules.IsIdentifier(meter.Id) || !PayloadRules.IsSequence(meter.Requests) || !PayloadRules.IsSequence(meter.Timeouts)
                || !PayloadRules.IsSequence(meter.Errors) || !PayloadRules.IsSequence(meter.LatencyMilliseconds)
                || meter.ClockDriftSeconds < -PacketLimits.MaxSequence || meter.ClockDriftSeconds > PacketLimits.MaxSequence)
            {
                return false;
            }
        }

        for (var i = 0; i < status.BusCount; i++)
        {
            var bus = status.Buses[i];
            if (!PayloadRules.IsIdentifier(bus.Id) || !PayloadRules.IsSequence(bus.Requests) || !PayloadRules.IsSequence(bus.Timeouts)
                || !PayloadRules.IsSequence(bus.Errors))
            {
                return false;
            }
        }

        return true;
    }

    private static void RequireReading(PacketReading reading)
    {
        if (!PayloadRules.IsSequence(reading.Sequence) || !PayloadRules.IsIdentifier(reading.MeterId) || !PayloadRules.IsIdentifier(reading.PointId)
            || !PayloadRules.IsUnit(reading.Unit) || ((int)reading.Flags & ~((1 << PacketNames.FlagCount) - 1)) != 0)
        {
            throw new System.ArgumentException("reading has a value the packet contract does not allow", nameof(reading));
        }

        RequireTime(reading.TimeUtc);
    }

    private static void RequireCommand(GatewayCommand command)
    {
        var arguments = command.Arguments;
        if (!PayloadRules.IsIdentifier(command.Name) || arguments == null || arguments.Length > PacketLimits.MaxCommandArguments)
        {
            throw new System.ArgumentException("command has a value the packet contract does not allow", nameof(command));
        }

        RequireTime(command.ExpiresUtc);
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!PayloadRules.IsIdentifier(arguments[i].Name) || !PayloadRules.IsArgument(arguments[i].Value))
            {
                throw new System.ArgumentException("command argument not allowed by the packet contract", nameof(command));
            }

            for (var j = 0; j < i; j++)
            {
                if (arguments[j].Name == arguments[i].Name)
                {
                    throw new System.ArgumentException("duplicate command argument " + arguments[i].Name, nameof(command));
                }
            }
        }
    }
}
