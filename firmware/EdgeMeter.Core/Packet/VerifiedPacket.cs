using EdgeMeter.Core.Json;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// The payload of the packet a <see cref="PacketVerifier"/> accepted last: the envelope fields (enough to dedupe
/// on gateway id + sequence) and typed access to the readings, status, command or reply. Everything exposed here has
/// passed the <see cref="PayloadSchema"/>. Reused by the verifier: read it before the next Verify call.
/// </summary>
public sealed class VerifiedPacket
{
    private readonly JsonReader _json;
    private readonly int[] _readingTokens;
    private readonly int[] _rowTokens;
    private readonly PayloadSchema _schema;
    private readonly byte[] _header;
    private readonly byte[] _payload;
    private int _headerLength;
    private int _payloadLength;

    internal VerifiedPacket(JsonReader json, byte[] header, byte[] payload, int maxReadings)
    {
        _json = json;
        _header = header;
        _payload = payload;
        _readingTokens = new int[maxReadings];
        _rowTokens = new int[maxReadings];
        _schema = new PayloadSchema(json, _readingTokens, _rowTokens);
    }

    public PacketKind Kind { get; private set; }

    public string GatewayId { get; private set; } = "";

    public int KeyVersion { get; private set; }

    public int SchemaVersion { get; private set; }

    /// <summary>"seq": per gateway (or, for commands, per command sender) and strictly increasing.</summary>
    public long Sequence { get; private set; }

    /// <summary>"ts": when the packet was created, by the sender's clock.</summary>
    public System.DateTime CreatedUtc { get; private set; }

    /// <summary>Readings in an "up" packet; 0 for the other kinds.</summary>
    public int ReadingCount { get; private set; }

    /// <summary>The decoded JWS header JSON (allocates).</summary>
    public string HeaderJson() => Utf8.Decode(_header, 0, _headerLength) ?? "";

    /// <summary>The decoded payload JSON exactly as signed (allocates).</summary>
    public string PayloadJson() => Utf8.Decode(_payload, 0, _payloadLength) ?? "";

    public void GetReading(int index, PacketReading into)
    {
        RequireKind(PacketKind.Up);
        if (index < 0 || index >= ReadingCount)
        {
            throw new System.ArgumentOutOfRangeException(nameof(index));
        }

        if (SchemaVersion == PacketLimits.CompactUpSchemaVersion)
        {
            GetCompactReading(index, into);
            return;
        }

        var reading = _readingTokens[index];
        into.Sequence = IntegerOf(_json.Find(reading, PacketFields.ReadingSequence));
        into.MeterId = _json.GetString(_json.Find(reading, PacketFields.Meter));
        into.PointId = _json.GetString(_json.Find(reading, PacketFields.Point));
        into.TimeUtc = TimeOf(_json.Find(reading, PacketFields.Time));
        into.Value = DecimalOf(_json.Find(reading, PacketFields.Value));
        into.Unit = _json.GetString(_json.Find(reading, PacketFields.Unit));
        into.Flags = FlagsOf(_json.Find(reading, PacketFields.Quality));
    }

    // v2: a row is [meter, seconds after "t", (flags,) first point, values of consecutive points...]; the schema
    // kept each reading's value token and its row. Tables hold strings, one token each.
    private void GetCompactReading(int index, PacketReading into)
    {
        var value = _readingTokens[index];
        var row = _rowTokens[index];
        var flags = _json.Kind(row + 3) == JsonKind.Array ? row + 3 : -1;
        var firstPoint = flags < 0 ? row + 3 : _json.Skip(flags);
        var point = (int)IntegerOf(firstPoint) + (value - firstPoint - 1);
        into.Sequence = _schema.FirstReading + index;
        into.MeterId = _json.GetString(Field(PacketFields.Meter) + 1 + (int)IntegerOf(row + 1));
        into.PointId = _json.GetString(Field(PacketFields.Point) + 1 + point);
        into.Unit = _json.GetString(Field(PacketFields.Unit) + 1 + point);
        into.TimeUtc = _schema.FirstTime.AddTicks(IntegerOf(row + 2) * System.TimeSpan.TicksPerSecond);
        into.Value = DecimalOf(value);
        into.Flags = flags < 0 ? ReadingFlags.None : FlagsOf(flags);
    }

    public void GetStatus(GatewayStatus into)
    {
        RequireKind(PacketKind.Status);
        into.State = (GatewayState)PacketNames.StateOf(_json, Field(PacketFields.State));
        into.Firmware = _json.GetString(Field(PacketFields.Firmware));
        into.UptimeSeconds = IntegerOf(Field(PacketFields.Uptime));
        into.ClockSynchronized = _json.Kind(Field(PacketFields.ClockSynchronized)) == JsonKind.True;
        into.QueuedReadings = IntegerOf(Field(PacketFields.Queued));
        into.WillSequence = IntegerOf(Field(PacketFields.Will));
        into.FreeMemory = IntegerOf(Field(PacketFields.Memory));
        into.DroppedReadings = IntegerOf(Field(PacketFields.Dropped));
        into.Connections = IntegerOf(Field(PacketFields.Reconnects));
        into.PlatformMessage = _json.GetString(Field(PacketFields.PlatformMessage));
        var meters = Field(PacketFields.Meters);
        into.MeterCount = _json.Count(meters);
        into.Meters = new MeterHealth[into.MeterCount];
        var entry = _json.FirstChild(meters);
        for (var i = 0; i < into.MeterCount; i++)
        {
            into.Meters[i] = new MeterHealth
            {
                Id = _json.GetString(_json.Find(entry, PacketFields.HealthId)),
                Online = _json.Kind(_json.Find(entry, PacketFields.Online)) == JsonKind.True,
                Requests = IntegerOf(_json.Find(entry, PacketFields.Requests)),
                Timeouts = IntegerOf(_json.Find(entry, PacketFields.Timeouts)),
                Errors = IntegerOf(_json.Find(entry, PacketFields.Errors)),
                LatencyMilliseconds = IntegerOf(_json.Find(entry, PacketFields.Latency)),
                ClockDriftSeconds = IntegerOf(_json.Find(entry, PacketFields.Drift)),
            };
            entry = _json.Skip(entry);
        }

        var buses = Field(PacketFields.Buses);
        into.BusCount = _json.Count(buses);
        into.Buses = new BusHealth[into.BusCount];
        entry = _json.FirstChild(buses);
        for (var i = 0; i < into.BusCount; i++)
        {
            into.Buses[i] = new BusHealth
            {
                Id = _json.GetString(_json.Find(entry, PacketFields.HealthId)),
                Requests = IntegerOf(_json.Find(entry, PacketFields.Requests)),
                Timeouts = IntegerOf(_json.Find(entry, PacketFields.Timeouts)),
                Errors = IntegerOf(_json.Find(entry, PacketFields.Errors)),
            };
            entry = _json.Skip(entry);
        }
    }

    public void GetCommand(GatewayCommand into)
    {
        RequireKind(PacketKind.Down);
        into.ExpiresUtc = TimeOf(Field(PacketFields.Expires));
        into.Name = _json.GetString(Field(PacketFields.Name));
        var args = Field(PacketFields.Arguments);
        var arguments = new CommandArgument[_json.Count(args)];
        var key = _json.FirstChild(args);
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = new CommandArgument(_json.GetString(key), _json.GetString(key + 1));
            key = _json.Skip(key + 1);
        }

        into.Arguments = arguments;
    }

    public void GetReply(CommandReply into)
    {
        RequireKind(PacketKind.Reply);
        into.CommandSequence = IntegerOf(Field(PacketFields.Command));
        into.Result = (CommandResult)PacketNames.ResultOf(_json, Field(PacketFields.Result));
        into.Message = _json.GetString(Field(PacketFields.Message));
    }

    internal void Clear()
    {
        Kind = PacketKind.None;
        GatewayId = "";
        KeyVersion = 0;
        SchemaVersion = 0;
        Sequence = 0;
        CreatedUtc = default;
        ReadingCount = 0;
        _headerLength = 0;
        _payloadLength = 0;
    }

    internal void SetSource(int headerLength, int payloadLength, string gatewayId, int keyVersion)
    {
        _headerLength = headerLength;
        _payloadLength = payloadLength;
        GatewayId = gatewayId;
        KeyVersion = keyVersion;
    }

    /// <summary>Checks the parsed payload (<see cref="PayloadSchema"/>); on failure sets <paramref name="reason"/>.</summary>
    internal PacketError Validate(string? topicGatewayId, PacketKind topicKind, System.DateTime nowUtc, out string reason)
    {
        var error = _schema.Check(GatewayId, topicGatewayId, topicKind, nowUtc, out reason);
        if (error == PacketError.None)
        {
            Kind = _schema.Kind;
            SchemaVersion = _schema.Version;
            Sequence = _schema.Sequence;
            CreatedUtc = _schema.CreatedUtc;
            ReadingCount = _schema.ReadingCount;
        }

        return error;
    }

    private int Field(string name) => _json.Find(0, name);

    private System.DateTime TimeOf(int token) => PayloadValues.TimeOf(_json, token);

    private FixedDecimal DecimalOf(int token) => PayloadValues.DecimalOf(_json, token);

    private long IntegerOf(int token) => PayloadValues.IntegerOf(_json, token);

    private ReadingFlags FlagsOf(int flags) => PayloadValues.FlagsOf(_json, flags);

    private void RequireKind(PacketKind kind)
    {
        if (Kind != kind)
        {
            throw new System.InvalidOperationException("the verified packet is not a \"" + PacketNames.Kind(kind) + "\" packet");
        }
    }
}
