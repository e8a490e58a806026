using EdgeMeter.Core.Json;
using EdgeMeter.Core.Keys;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// Payload schemas v1 and, for "up" packets, v2 (docs/packet-format.md): the members each kind of packet must have,
/// exactly, and what each may hold. The verifier runs it on every payload it parsed; <see cref="VerifiedPacket"/>
/// exposes only what passed.
/// Allocates nothing unless it refuses (the reason text).
/// </summary>
internal sealed class PayloadSchema
{
    private static readonly string[] UpFields =
        { PacketFields.Version, PacketFields.Kind, PacketFields.Gateway, PacketFields.Sequence, PacketFields.Created, PacketFields.Readings };

    private static readonly string[] CompactUpFields =
    {
        PacketFields.Version, PacketFields.Kind, PacketFields.Gateway, PacketFields.Sequence, PacketFields.Created,
        PacketFields.ReadingSequence, PacketFields.Time, PacketFields.Readings, PacketFields.Meter, PacketFields.Point, PacketFields.Unit,
    };

    // A reading's time lies within 1970-3000, so no offset from another is larger.
    private const long MaxOffsetSeconds = 40000000000L;

    private static readonly string[] StatusFields =
    {
        PacketFields.Version, PacketFields.Kind, PacketFields.Gateway, PacketFields.Sequence, PacketFields.Created,
        PacketFields.State, PacketFields.Firmware, PacketFields.Uptime, PacketFields.ClockSynchronized, PacketFields.Queued,
        PacketFields.Will, PacketFields.Memory, PacketFields.Dropped, PacketFields.Reconnects, PacketFields.PlatformMessage,
        PacketFields.Meters, PacketFields.Buses,
    };

    private static readonly string[] DownFields =
    {
        PacketFields.Version, PacketFields.Kind, PacketFields.Gateway, PacketFields.Sequence, PacketFields.Created,
        PacketFields.Expires, PacketFields.Name, PacketFields.Arguments,
    };

    private static readonly string[] ReplyFields =
    {
        PacketFields.Version, PacketFields.Kind, PacketFields.Gateway, PacketFields.Sequence, PacketFields.Created,
        PacketFields.Command, PacketFields.Result, PacketFields.Message,
    };

    private static readonly string[] MeterHealthFields =
    {
        PacketFields.HealthId, PacketFields.Online, PacketFields.Requests, PacketFields.Timeouts, PacketFields.Errors,
        PacketFields.Latency, PacketFields.Drift,
    };

    private static readonly string[] BusHealthFields =
        { PacketFields.HealthId, PacketFields.Requests, PacketFields.Timeouts, PacketFields.Errors };

    private static readonly string[] ReadingFields =
        { PacketFields.ReadingSequence, PacketFields.Meter, PacketFields.Point, PacketFields.Time, PacketFields.Value, PacketFields.Unit, PacketFields.Quality };

    private readonly JsonReader _json;
    private readonly int[] _readingTokens;
    private readonly int[] _rowTokens;

    /// <param name="readingTokens">Where the tokens of an "up" packet's readings are put, in order (v1: the reading
    /// object; v2: its value); its length is the most readings a packet may carry.</param>
    /// <param name="rowTokens">v2: the row of each reading.</param>
    public PayloadSchema(JsonReader json, int[] readingTokens, int[] rowTokens)
    {
        _json = json;
        _readingTokens = readingTokens;
        _rowTokens = rowTokens;
    }

    public PacketKind Kind { get; private set; }

    public int Version { get; private set; }

    public long Sequence { get; private set; }

    public System.DateTime CreatedUtc { get; private set; }

    public int ReadingCount { get; private set; }

    /// <summary>
    /// Checks the parsed payload of a packet signed under <paramref name="keyGatewayId"/>'s key against schema v1 and
    /// the topic it came on; on success the properties describe it, on failure <paramref name="reason"/> says why.
    /// </summary>
    public PacketError Check(string keyGatewayId, string? topicGatewayId, PacketKind topicKind, System.DateTime nowUtc, out string reason)
    {
        reason = "";
        ReadingCount = 0;
        Version = 0;
        if (_json.Kind(0) != JsonKind.Object)
        {
            return Bad("the payload is not a JSON object", out reason);
        }

        var version = _json.Find(0, PacketFields.Version);
        if (version < 0 || !_json.TryGetInt64(version, out var schema))
        {
            return Bad("the payload has no integer \"v\" (schema version)", out reason);
        }

        if (schema != PacketLimits.SchemaVersion && schema != PacketLimits.CompactUpSchemaVersion)
        {
            reason = "schema version " + _json.GetString(version) + " is not supported (this reader knows 1, and 2 for \"up\")";
            return PacketError.UnsupportedSchema;
        }

        var kindToken = _json.Find(0, PacketFields.Kind);
        var kind = _json.Kind(kindToken) == JsonKind.String ? PacketNames.KindOf(_json, kindToken) : PacketKind.None;
        if (kind == PacketKind.None)
        {
            return Bad("\"k\" must be one of \"up\", \"status\", \"down\", \"reply\"", out reason);
        }

        if (schema == PacketLimits.CompactUpSchemaVersion && kind != PacketKind.Up)
        {
            reason = "schema version 2 is for \"up\" packets only; \"" + PacketNames.Kind(kind) + "\" packets are version 1";
            return PacketError.UnsupportedSchema;
        }

        Version = (int)schema;
        var error = RequireExactFields(0, Version == PacketLimits.CompactUpSchemaVersion ? CompactUpFields : FieldsOf(kind), -1, out reason);
        if (error != PacketError.None)
        {
            return error;
        }

        var gateway = Field(PacketFields.Gateway);
        if (_json.Kind(gateway) != JsonKind.String || !GatewayIdentity.IsGatewayId(_json.Text, _json.TextStart(gateway), _json.TextLength(gateway)))
        {
            return Bad("\"gw\" must be a gateway id (1-64 of A-Z a-z 0-9 _ -)", out reason);
        }

        if (!_json.TextEquals(gateway, keyGatewayId))
        {
            reason = "payload gateway " + Quoted(gateway) + " does not match the kid's gateway \"" + keyGatewayId + "\"";
            return PacketError.GatewayMismatch;
        }

        if (topicGatewayId != null && topicGatewayId != keyGatewayId)
        {
            reason = "packet of gateway \"" + keyGatewayId + "\" on the topic of gateway \"" + topicGatewayId + "\"";
            return PacketError.GatewayMismatch;
        }

        if (topicKind != PacketKind.None && topicKind != kind)
        {
            reason = "\"" + PacketNames.Kind(kind) + "\" packet on a \"" + PacketNames.Kind(topicKind) + "\" topic";
            return PacketError.KindMismatch;
        }

        if (!IsSequence(Field(PacketFields.Sequence), out var sequence))
        {
            return Bad("\"seq\" must be an integer from 0 to 9007199254740991", out reason);
        }

        if (!IsTime(Field(PacketFields.Created)))
        {
            return Bad("\"ts\" must be a UTC time like \"2025-03-01T08:00:00Z\"", out reason);
        }

        Kind = kind;
        Sequence = sequence;
        CreatedUtc = PayloadValues.TimeOf(_json, Field(PacketFields.Created));
        switch (kind)
        {
            case PacketKind.Up:
                return Version == PacketLimits.CompactUpSchemaVersion ? ValidateCompactReadings(out reason) : ValidateReadings(out reason);
            case PacketKind.Status:
                return ValidateStatus(out reason);
            case PacketKind.Down:
                return ValidateCommand(nowUtc, out reason);
            default:
                return ValidateReply(out reason);
        }
    }

    private PacketError ValidateReadings(out string reason)
    {
        reason = "";
        var readings = Field(PacketFields.Readings);
        var count = _json.Count(readings);
        if (_json.Kind(readings) != JsonKind.Array || count == 0)
        {
            return Bad("\"r\" must be a non-empty array of readings", out reason);
        }

        if (count > _readingTokens.Length)
        {
            return Bad("too many readings in one packet", out reason);
        }

        var reading = _json.FirstChild(readings);
        for (var i = 0; i < count; i++)
        {
            var error = ValidateReading(reading, i, out reason);
            if (error != PacketError.None)
            {
                return error;
            }

            _readingTokens[i] = reading;
            reading = _json.Skip(reading);
        }

        ReadingCount = count;
        return PacketError.None;
    }

    /// <summary>The first reading's number (v2 "n"); the others follow it one by one.</summary>
    public long FirstReading { get; private set; }

    /// <summary>The time the rows' offsets count from (v2 "t").</summary>
    public System.DateTime FirstTime { get; private set; }

    private PacketError ValidateCompactReadings(out string reason)
    {
        reason = "";
        if (!IsSequence(Field(PacketFields.ReadingSequence), out var first))
        {
            return Bad("\"n\" must be the first reading's sequence number (0 to 2^53-1)", out reason);
        }

        if (!IsTime(Field(PacketFields.Time)))
        {
            return Bad("\"t\" must be a UTC time like \"2025-03-01T08:00:00Z\"", out reason);
        }

        FirstReading = first;
        FirstTime = PayloadValues.TimeOf(_json, Field(PacketFields.Time));
        var meters = Field(PacketFields.Meter);
        var points = Field(PacketFields.Point);
        var units = Field(PacketFields.Unit);
        if (!IsTable(meters, false) || !IsTable(points, false))
        {
            return Bad("\"m\" and \"p\" must be non-empty arrays of identifiers (1-32 of A-Z a-z 0-9 _ - . :)", out reason);
        }

        if (!IsTable(units, true) || _json.Count(units) != _json.Count(points))
        {
            return Bad("\"u\" must hold the unit (1-16 characters) of each entry of \"p\"", out reason);
        }

        var rows = Field(PacketFields.Readings);
        if (_json.Kind(rows) != JsonKind.Array || _json.Count(rows) == 0)
        {
            return Bad("\"r\" must be a non-empty array of rows", out reason);
        }

        var row = _json.FirstChild(rows);
        var count = 0;
        for (var i = 0; i < _json.Count(rows); i++)
        {
            var error = ValidateRow(row, i, _json.Count(meters), _json.Count(points), ref count, out reason);
            if (error != PacketError.None)
            {
                return error;
            }

            row = _json.Skip(row);
        }

        if (!PayloadRules.IsSequence(first + count - 1))
        {
            return Bad("the readings' sequence numbers run past 2^53-1", out reason);
        }

        ReadingCount = count;
        return PacketError.None;
    }

    // [meter, seconds after "t", (flags,) first point, "value", "value", ...]: values of consecutive points.
    private PacketError ValidateRow(int row, int index, int meterCount, int pointCount, ref int count, out string reason)
    {
        reason = "";
        if (_json.Kind(row) != JsonKind.Array || _json.Count(row) < 4)
        {
            return Bad(RowWhere(index) + " must be a row [meter, seconds, (flags,) point, \"value\", ...]", out reason);
        }

        if (!_json.TryGetInt64(row + 1, out var meter) || meter < 0 || meter >= meterCount)
        {
            return Bad(RowWhere(index) + "[0] must be an index into \"m\"", out reason);
        }

        if (!_json.TryGetInt64(row + 2, out var offset) || offset < -MaxOffsetSeconds || offset > MaxOffsetSeconds
            || !PacketText.IsInRange(FirstTime.AddTicks(offset * System.TimeSpan.TicksPerSecond)))
        {
            return Bad(RowWhere(index) + "[1] must be whole seconds after \"t\", within 1970-3000", out reason);
        }

        var point = row + 3;
        var values = _json.Count(row) - 3;
        if (_json.Kind(point) == JsonKind.Array)
        {
            var error = ValidateFlags(point, index, true, out reason);
            if (error != PacketError.None)
            {
                return error;
            }

            point = _json.Skip(point);
            values--;
        }

        if (values < 1 || !_json.TryGetInt64(point, out var first) || first < 0 || first + values > pointCount)
        {
            return Bad(RowWhere(index) + " must name a first point in \"p\" and values for points that are there", out reason);
        }

        for (var value = point + 1; value <= point + values; value++)
        {
            if (!IsDecimal(value))
            {
                return Bad(RowWhere(index) + " has a value that is not a decimal string like \"-12.340\"", out reason);
            }

            if (count == _readingTokens.Length)
            {
                return Bad("too many readings in one packet", out reason);
            }

            _rowTokens[count] = row;
            _readingTokens[count++] = value;
        }

        return PacketError.None;
    }

    private bool IsTable(int array, bool units)
    {
        if (_json.Kind(array) != JsonKind.Array || _json.Count(array) == 0)
        {
            return false;
        }

        for (var entry = array + 1; entry <= array + _json.Count(array); entry++)
        {
            var valid = units
                ? _json.Kind(entry) == JsonKind.String && PayloadRules.IsUnit(_json.Text, _json.TextStart(entry), _json.TextLength(entry))
                : IsIdentifier(entry);
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    private PacketError ValidateReading(int reading, int index, out string reason)
    {
        if (_json.Kind(reading) != JsonKind.Object)
        {
            return Bad(Where(index) + " must be an object", out reason);
        }

        var error = RequireExactFields(reading, ReadingFields, index, out reason);
        if (error != PacketError.None)
        {
            return error;
        }

        if (!IsSequence(_json.Find(reading, PacketFields.ReadingSequence), out _))
        {
            return Bad(Where(index) + ".n must be the reading's sequence number (0 to 2^53-1)", out reason);
        }

        if (!IsIdentifier(_json.Find(reading, PacketFields.Meter)) || !IsIdentifier(_json.Find(reading, PacketFields.Point)))
        {
            return Bad(Where(index) + ".m and .p must be identifiers (1-32 of A-Z a-z 0-9 _ - . :)", out reason);
        }

        if (!IsTime(_json.Find(reading, PacketFields.Time)))
        {
            return Bad(Where(index) + ".t must be a UTC time like \"2025-03-01T08:00:00Z\"", out reason);
        }

        if (!IsDecimal(_json.Find(reading, PacketFields.Value)))
        {
            return Bad(Where(index) + ".val must be a decimal string like \"-12.340\"", out reason);
        }

        var unit = _json.Find(reading, PacketFields.Unit);
        if (_json.Kind(unit) != JsonKind.String || !PayloadRules.IsUnit(_json.Text, _json.TextStart(unit), _json.TextLength(unit)))
        {
            return Bad(Where(index) + ".u must be a unit of 1-16 characters", out reason);
        }

        return ValidateFlags(_json.Find(reading, PacketFields.Quality), index, false, out reason);
    }

    private PacketError ValidateFlags(int flags, int index, bool compact, out string reason)
    {
        reason = "";
        if (_json.Kind(flags) != JsonKind.Array)
        {
            return Bad(FlagsWhere(index, compact) + " must be an array of quality flags", out reason);
        }

        var seen = 0;
        var flag = _json.FirstChild(flags);
        for (var i = 0; i < _json.Count(flags); i++)
        {
            var bit = _json.Kind(flag) == JsonKind.String ? PacketNames.FlagBitOf(_json, flag) : -1;
            if (bit < 0)
            {
                return Bad(FlagsWhere(index, compact) + " has an unknown quality flag", out reason);
            }

            if ((seen & (1 << bit)) != 0)
            {
                return Bad(FlagsWhere(index, compact) + " repeats a quality flag", out reason);
            }

            seen |= 1 << bit;
            flag = _json.Skip(flag);
        }

        return PacketError.None;
    }

    private PacketError ValidateStatus(out string reason)
    {
        reason = "";
        var state = Field(PacketFields.State);
        if (_json.Kind(state) != JsonKind.String || PacketNames.StateOf(_json, state) < 0)
        {
            return Bad("\"state\" must be \"online\" or \"offline\"", out reason);
        }

        if (!IsText(Field(PacketFields.Firmware)))
        {
            return Bad("\"fw\" must be a string of at most 200 characters", out reason);
        }

        var synced = _json.Kind(Field(PacketFields.ClockSynchronized));
        if (synced != JsonKind.True && synced != JsonKind.False)
        {
            return Bad("\"synced\" must be true or false", out reason);
        }

        if (!IsSequence(Field(PacketFields.Uptime), out _) || !IsSequence(Field(PacketFields.Queued), out _)
            || !IsSequence(Field(PacketFields.Will), out _))
        {
            return Bad("\"uptime\", \"queued\" and \"will\" must be integers from 0 to 9007199254740991", out reason);
        }

        if (!_json.TryGetInt64(Field(PacketFields.Memory), out var memory) || memory < -1
            || !IsSequence(Field(PacketFields.Dropped), out _) || !IsSequence(Field(PacketFields.Reconnects), out _))
        {
            return Bad("\"mem\" (-1 = unknown), \"dropped\" and \"reconnects\" must be integers", out reason);
        }

        if (!IsText(Field(PacketFields.PlatformMessage)))
        {
            return Bad("\"msg\" must be a string of at most 200 characters", out reason);
        }

        var error = ValidateHealth(Field(PacketFields.Meters), MeterHealthFields, "meters", out reason);
        return error != PacketError.None ? error : ValidateHealth(Field(PacketFields.Buses), BusHealthFields, "buses", out reason);
    }

    private PacketError ValidateHealth(int array, string[] fields, string name, out string reason)
    {
        reason = "";
        if (_json.Kind(array) != JsonKind.Array)
        {
            return Bad("\"" + name + "\" must be an array", out reason);
        }

        var entry = _json.FirstChild(array);
        for (var i = 0; i < _json.Count(array); i++)
        {
            if (_json.Kind(entry) != JsonKind.Object || !HasExactly(entry, fields) || !IsIdentifier(_json.Find(entry, PacketFields.HealthId)))
            {
                return Bad("\"" + name + "\"[" + i + "] must be an object with exactly its documented members", out reason);
            }

            for (var f = 1; f < fields.Length; f++)
            {
                var value = _json.Find(entry, fields[f]);
                var valid = fields[f] == PacketFields.Online
                    ? _json.Kind(value) == JsonKind.True || _json.Kind(value) == JsonKind.False
                    : fields[f] == PacketFields.Drift ? _json.TryGetInt64(value, out _) : IsSequence(value, out _);
                if (!valid)
                {
                    return Bad("\"" + name + "\"[" + i + "]." + fields[f] + " has the wrong type", out reason);
                }
            }

            entry = _json.Skip(entry);
        }

        return PacketError.None;
    }

    private bool HasExactly(int entry, string[] fields)
    {
        if (_json.Count(entry) != fields.Length)
        {
            return false;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (_json.Find(entry, fields[i]) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private PacketError ValidateCommand(System.DateTime nowUtc, out string reason)
    {
        reason = "";
        var expires = Field(PacketFields.Expires);
        if (!IsTime(expires))
        {
            return Bad("\"expires\" must be a UTC time like \"2025-03-01T08:00:00Z\"", out reason);
        }

        if (!IsIdentifier(Field(PacketFields.Name)))
        {
            return Bad("\"name\" must be an identifier (1-32 of A-Z a-z 0-9 _ - . :)", out reason);
        }

        var args = Field(PacketFields.Arguments);
        if (_json.Kind(args) != JsonKind.Object || _json.Count(args) > PacketLimits.MaxCommandArguments)
        {
            return Bad("\"args\" must be an object of at most 16 string members", out reason);
        }

        var key = _json.FirstChild(args);
        for (var i = 0; i < _json.Count(args); i++)
        {
            if (!IsIdentifier(key) || !IsArgument(key + 1))
            {
                return Bad("\"args\" members must be identifiers with string values of at most 16384 characters", out reason);
            }

            key = _json.Skip(key + 1);
        }

        var expiry = PayloadValues.TimeOf(_json, expires);
        if (expiry <= nowUtc)
        {
            reason = "command expired at " + PacketText.FormatTime(expiry) + " (now " + PacketText.FormatTime(nowUtc) + ")";
            return PacketError.Expired;
        }

        return PacketError.None;
    }

    private PacketError ValidateReply(out string reason)
    {
        reason = "";
        if (!IsSequence(Field(PacketFields.Command), out _))
        {
            return Bad("\"cmd\" must be the command's sequence number", out reason);
        }

        var result = Field(PacketFields.Result);
        if (_json.Kind(result) != JsonKind.String || PacketNames.ResultOf(_json, result) < 0)
        {
            return Bad("\"result\" must be one of \"ok\", \"rejected\", \"failed\", \"expired\", \"unsupported\"", out reason);
        }

        if (!IsText(Field(PacketFields.Message)))
        {
            return Bad("\"msg\" must be a string of at most 200 characters", out reason);
        }

        return PacketError.None;
    }

    // Every listed member present and no other: schema v1 has no optional and no unknown fields.
    private PacketError RequireExactFields(int objectToken, string[] names, int readingIndex, out string reason)
    {
        reason = "";
        var key = _json.FirstChild(objectToken);
        for (var i = 0; i < _json.Count(objectToken); i++)
        {
            if (!Contains(names, key))
            {
                return Bad(Where(readingIndex) + " has an unexpected member " + Quoted(key), out reason);
            }

            key = _json.Skip(key + 1);
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (_json.Find(objectToken, names[i]) < 0)
            {
                return Bad(Where(readingIndex) + " has no \"" + names[i] + "\"", out reason);
            }
        }

        return PacketError.None;
    }

    private bool Contains(string[] names, int key)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (_json.TextEquals(key, names[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string RowWhere(int rowIndex) => "r[" + rowIndex.ToString() + "]";

    private static string FlagsWhere(int index, bool compact) => compact ? RowWhere(index) + "[2]" : Where(index) + ".q";

    private static string Where(int readingIndex) => readingIndex < 0 ? "top level" : "r[" + readingIndex.ToString() + "]";

    private static string[] FieldsOf(PacketKind kind)
    {
        switch (kind)
        {
            case PacketKind.Up:
                return UpFields;
            case PacketKind.Status:
                return StatusFields;
            case PacketKind.Down:
                return DownFields;
            default:
                return ReplyFields;
        }
    }

    private int Field(string name) => _json.Find(0, name);

    private bool IsIdentifier(int token) =>
        _json.Kind(token) == JsonKind.String && PayloadRules.IsIdentifier(_json.Text, _json.TextStart(token), _json.TextLength(token));

    private bool IsArgument(int token) => _json.Kind(token) == JsonKind.String && _json.TextLength(token) <= PacketLimits.MaxArgumentLength;

    private bool IsText(int token) => _json.Kind(token) == JsonKind.String && _json.TextLength(token) <= PacketLimits.MaxTextLength;

    private bool IsTime(int token) =>
        _json.Kind(token) == JsonKind.String && PacketText.TryParseTime(_json.Text, _json.TextStart(token), _json.TextLength(token), out _);

    private bool IsDecimal(int token) =>
        _json.Kind(token) == JsonKind.String && PacketText.TryParseDecimal(_json.Text, _json.TextStart(token), _json.TextLength(token), out _);

    private bool IsSequence(int token, out long value) =>
        _json.TryGetInt64(token, out value) && PayloadRules.IsSequence(value);

    private string Quoted(int token)
    {
        var length = _json.TextLength(token) > 32 ? 32 : _json.TextLength(token);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            var c = _json.Text[_json.TextStart(token) + i];
            chars[i] = c < 0x20 || c == 0x7F ? '?' : c;
        }

        return "\"" + new string(chars) + (_json.TextLength(token) > 32 ? "...\"" : "\"");
    }

    private static PacketError Bad(string message, out string reason)
    {
        reason = "payload: " + message;
        return PacketError.BadPayload;
    }
}
