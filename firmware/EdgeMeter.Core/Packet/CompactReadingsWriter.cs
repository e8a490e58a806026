using EdgeMeter.Core.Json;
using EdgeMeter.Core.Messages;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// Writes the readings of an "up" payload in schema v2 (docs/packet-format.md): the first reading's number and time
/// once, then rows of one meter at one time and quality (<c>[meter, seconds after t, (flags,) first point, "value",
/// "value"…]</c>, the values of consecutive entries of the point table), then the tables the rows index (meter ids,
/// point ids and their units). Points enter the table in the order they are read, so a meter's poll is one row.
/// Readings in one packet are consecutive by number, so a gap ends the packet. Tables are written last so that one
/// pass decides what fits: the bytes they will need are counted as entries are added. Allocates nothing after
/// construction.
/// </summary>
internal sealed class CompactReadingsWriter
{
    /// <summary>The most distinct meters, or points with their units, one packet names.</summary>
    public const int TableCapacity = 32;

    // The open row's and the rows' closing brackets, ,"m":[ … ] ,"p":[ … ] ,"u":[ … ] and the payload's closing brace.
    private const int ClosingFrameBytes = 2 + (3 * 7) + 1;

    private readonly string[] _meters = new string[TableCapacity];
    private readonly string[] _points = new string[TableCapacity];
    private readonly string[] _units = new string[TableCapacity];
    private readonly JsonWriter _measure = new JsonWriter(PacketLimits.MaxUnitLength * 6 + PacketLimits.MaxIdentifierLength);
    private int _meterCount;
    private int _pointCount;
    private int _tableBytes;

    // The open row, if any.
    private bool _rowOpen;
    private int _rowMeter;
    private long _rowSeconds;
    private int _rowFlags;
    private int _rowNextPoint;

    // The packet's first reading: its number and time open the payload, and the rows count from them.
    private long _firstSequence;
    private long _firstSeconds;
    private int _taken;

    /// <summary>Starts the readings of a payload whose envelope is written; the first <see cref="TryAppend"/> writes "n", "t" and "r".</summary>
    public void Begin()
    {
        _meterCount = 0;
        _pointCount = 0;
        _tableBytes = 0;
        _rowOpen = false;
        _taken = 0;
    }

    /// <summary>
    /// Appends one reading if it fits <paramref name="maxPayloadBytes"/> with the closing tables and follows the last
    /// by number; false (nothing written) otherwise, which ends the packet.
    /// </summary>
    public bool TryAppend(JsonWriter json, int maxPayloadBytes, PacketReading reading)
    {
        if (_taken == 0)
        {
            _firstSequence = reading.Sequence;
            _firstSeconds = Seconds(reading.TimeUtc);
            json.Name(PacketFields.ReadingSequence);
            json.Number(reading.Sequence);
            json.Name(PacketFields.Time);
            json.Time(reading.TimeUtc);
            json.Name(PacketFields.Readings);
            json.BeginArray();
        }
        else if (reading.Sequence != _firstSequence + _taken)
        {
            return false;
        }

        if (!TryAppendValue(json, maxPayloadBytes, reading))
        {
            return false;
        }

        _taken++;
        return true;
    }

    /// <summary>Closes the rows, writes the tables and closes the payload; call only when at least one reading was taken.</summary>
    public void End(JsonWriter json)
    {
        if (_rowOpen)
        {
            json.EndArray();
        }

        json.EndArray();
        WriteTable(json, PacketFields.Meter, _meters, _meterCount);
        WriteTable(json, PacketFields.Point, _points, _pointCount);
        WriteTable(json, PacketFields.Unit, _units, _pointCount);
        json.EndObject();
    }

    private bool TryAppendValue(JsonWriter json, int maxPayloadBytes, PacketReading reading)
    {
        var mark = json.Mark();
        var meters = _meterCount;
        var points = _pointCount;
        var tableBytes = _tableBytes;
        var meter = MeterIndex(reading.MeterId);
        var point = meter < 0 ? -1 : PointIndex(reading.PointId, reading.Unit);
        var seconds = Seconds(reading.TimeUtc);
        var flags = (int)reading.Flags;
        var newRow = !_rowOpen || meter != _rowMeter || seconds != _rowSeconds || flags != _rowFlags || point != _rowNextPoint;
        if (point >= 0)
        {
            if (newRow)
            {
                BeginRow(json, meter, seconds - _firstSeconds, flags, point);
            }

            json.Decimal(reading.Value);
            var closing = ClosingFrameBytes + _tableBytes + Commas(_meterCount) + (2 * Commas(_pointCount));
            if (!json.Overflowed && json.Length + closing <= maxPayloadBytes)
            {
                _rowOpen = true;
                _rowMeter = meter;
                _rowSeconds = seconds;
                _rowFlags = flags;
                _rowNextPoint = point + 1;
                return true;
            }
        }

        json.Restore(mark);
        _meterCount = meters;
        _pointCount = points;
        _tableBytes = tableBytes;
        return false;
    }

    private void BeginRow(JsonWriter json, int meter, long offsetSeconds, int flags, int point)
    {
        if (_rowOpen)
        {
            json.EndArray();
        }

        json.BeginArray();
        json.Number(meter);
        json.Number(offsetSeconds);
        if (flags != 0)
        {
            PayloadWriter.Flags(json, flags); // flags only where set
        }

        json.Number(point);
    }

    // Index of the meter in the table, added if new; -1 when the table is full.
    private int MeterIndex(string meterId)
    {
        for (var i = 0; i < _meterCount; i++)
        {
            if (_meters[i] == meterId)
            {
                return i;
            }
        }

        if (_meterCount == TableCapacity)
        {
            return -1;
        }

        _meters[_meterCount] = meterId;
        _tableBytes += QuotedBytes(meterId);
        return _meterCount++;
    }

    private int PointIndex(string pointId, string unit)
    {
        for (var i = 0; i < _pointCount; i++)
        {
            if (_points[i] == pointId && _units[i] == unit)
            {
                return i;
            }
        }

        if (_pointCount == TableCapacity)
        {
            return -1;
        }

        _points[_pointCount] = pointId;
        _units[_pointCount] = unit;
        _tableBytes += QuotedBytes(pointId) + QuotedBytes(unit);
        return _pointCount++;
    }

    private int QuotedBytes(string text)
    {
        _measure.Reset();
        _measure.String(text);
        return _measure.Length;
    }

    private static int Commas(int entries) => entries > 1 ? entries - 1 : 0;

    private static void WriteTable(JsonWriter json, string name, string[] entries, int count)
    {
        json.Name(name);
        json.BeginArray();
        for (var i = 0; i < count; i++)
        {
            json.String(entries[i]);
        }

        json.EndArray();
    }

    private static long Seconds(System.DateTime utc) => utc.Ticks / System.TimeSpan.TicksPerSecond;
}
