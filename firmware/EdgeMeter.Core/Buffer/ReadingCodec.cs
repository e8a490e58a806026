using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Encodes one reading against its segment's <see cref="SeriesTable"/>, in 1 to 29 bytes:
/// <code>
/// tag      bits 0-1 series: 0 = the series that followed the previous one last time, 1 = known slot, 2 = new series
///          bits 2-3 time:   0 = series' last time + its last interval, 1 = previous reading's time,
///                           2 = as 0 plus a residual, 3 = as 1 plus a residual
///          bit 4    value predicted as last value + last step (else last value)
///          bit 5    value equals the prediction (no residual follows)
///          bit 6    quality and scale bytes follow (they changed)
///          bit 7    0
/// [slot varint] or [meter varint, point varint]; [time residual: zigzag varint, ms];
/// [quality byte, scale byte]; [value residual: zigzag varint of mantissa - prediction]
/// </code>
/// Arithmetic wraps (unchecked), so every long mantissa and every representable time round-trips.
/// </summary>
internal static class ReadingCodec
{
    public const int MaxEncodedLength = 32;

    private const int SeriesPredicted = 0;
    private const int SeriesKnown = 1;
    private const int SeriesNew = 2;
    private const int TimeSeriesExact = 0;
    private const int TimePreviousExact = 1;
    private const int TimeSeriesResidual = 2;
    private const int TimePreviousResidual = 3;
    private const int LinearFlag = 0x10;
    private const int ExactValueFlag = 0x20;
    private const int MetaFlag = 0x40;
    private const int ReservedFlag = 0x80;

    private const long TicksPerMillisecond = 10000;

    // Read on use, not in a static initializer: nanoCLR may run this type's static constructor before DateTime's
    // (tests/EdgeMeter.Core.Tests/DeviceRules). The range differs: 1601-3000 on nanoFramework, 0001-9999 on .NET.
    private static long MinMilliseconds => (System.DateTime.MinValue.Ticks + TicksPerMillisecond - 1) / TicksPerMillisecond;

    private static long MaxMilliseconds => System.DateTime.MaxValue.Ticks / TicksPerMillisecond;

    /// <summary>False for a time whose milliseconds this runtime could not turn back into a DateTime.</summary>
    public static bool IsStorable(System.DateTime time)
    {
        var milliseconds = time.Ticks / TicksPerMillisecond;
        return milliseconds >= MinMilliseconds && milliseconds <= MaxMilliseconds;
    }

    /// <summary>
    /// Appends the reading at <paramref name="position"/> (which must have <see cref="MaxEncodedLength"/> bytes of room)
    /// and returns the position after it, or -1 when the reading's series is new and the table is full.
    /// </summary>
    public static int Encode(ref Reading reading, SeriesTable table, byte[] buffer, int position)
    {
        var key = SeriesTable.Key(reading.Meter, reading.Point);
        var seriesMode = SeriesPredicted;
        var slot = table.PredictedSlot();
        if (slot < 0 || table.KeyAt(slot) != key)
        {
            slot = table.Find(key);
            seriesMode = SeriesKnown;
            if (slot < 0)
            {
                if (table.IsFull)
                {
                    return -1;
                }

                slot = table.Add(key);
                seriesMode = SeriesNew;
            }
        }

        var time = reading.Time.Ticks / TicksPerMillisecond;
        var seriesResidual = ByteCoding.ZigZag(unchecked(time - table.PredictTime(slot)));
        var previousResidual = ByteCoding.ZigZag(unchecked(time - table.PreviousTime));
        int timeMode;
        ulong timeResidual;
        if (seriesResidual == 0)
        {
            timeMode = TimeSeriesExact;
            timeResidual = 0;
        }
        else if (previousResidual == 0)
        {
            timeMode = TimePreviousExact;
            timeResidual = 0;
        }
        else if (seriesResidual <= previousResidual)
        {
            timeMode = TimeSeriesResidual;
            timeResidual = seriesResidual;
        }
        else
        {
            timeMode = TimePreviousResidual;
            timeResidual = previousResidual;
        }

        var mantissa = reading.Value.Mantissa;
        var scale = reading.Value.Scale;
        var quality = (byte)reading.Quality;
        var stepResidual = ByteCoding.ZigZag(unchecked(mantissa - table.PredictValue(slot, false)));
        var linearResidual = ByteCoding.ZigZag(unchecked(mantissa - table.PredictValue(slot, true)));
        var linear = linearResidual < stepResidual;
        var valueResidual = linear ? linearResidual : stepResidual;
        var metaChanged = quality != table.QualityOf(slot) || scale != table.ScaleOf(slot);

        var tag = seriesMode | (timeMode << 2);
        tag |= linear ? LinearFlag : 0;
        tag |= valueResidual == 0 ? ExactValueFlag : 0;
        tag |= metaChanged ? MetaFlag : 0;
        buffer[position++] = (byte)tag;

        if (seriesMode == SeriesKnown)
        {
            position = ByteCoding.WriteVarInt(buffer, position, (ulong)slot);
        }
        else if (seriesMode == SeriesNew)
        {
            position = ByteCoding.WriteVarInt(buffer, position, (ulong)reading.Meter);
            position = ByteCoding.WriteVarInt(buffer, position, (ulong)reading.Point);
        }

        if (timeMode >= TimeSeriesResidual)
        {
            position = ByteCoding.WriteVarInt(buffer, position, timeResidual);
        }

        if (metaChanged)
        {
            buffer[position++] = quality;
            buffer[position++] = (byte)scale;
        }

        if (valueResidual != 0)
        {
            position = ByteCoding.WriteVarInt(buffer, position, valueResidual);
        }

        table.Record(slot, seriesMode == SeriesNew, time, mantissa, scale, quality);
        return position;
    }

    /// <summary>Decodes one reading that must end before <paramref name="end"/>; false on any malformed input.</summary>
    public static bool TryDecode(byte[] buffer, ref int position, int end, SeriesTable table, ref Reading reading)
    {
        if (position >= end)
        {
            return false;
        }

        int tag = buffer[position++];
        if ((tag & ReservedFlag) != 0)
        {
            return false;
        }

        var seriesMode = tag & 3;
        int slot;
        if (seriesMode == SeriesPredicted)
        {
            slot = table.PredictedSlot();
        }
        else if (seriesMode == SeriesKnown)
        {
            if (!ByteCoding.TryReadVarInt(buffer, ref position, end, out var known) || known >= (ulong)table.Count)
            {
                return false;
            }

            slot = (int)known;
        }
        else if (seriesMode == SeriesNew)
        {
            if (!ByteCoding.TryReadVarInt(buffer, ref position, end, out var meter) || meter > Reading.MaxIndex
                || !ByteCoding.TryReadVarInt(buffer, ref position, end, out var point) || point > Reading.MaxIndex
                || table.IsFull)
            {
                return false;
            }

            slot = table.Add(SeriesTable.Key((int)meter, (int)point));
        }
        else
        {
            return false;
        }

        if (slot < 0)
        {
            return false;
        }

        var timeMode = (tag >> 2) & 3;
        var time = timeMode == TimeSeriesExact || timeMode == TimeSeriesResidual ? table.PredictTime(slot) : table.PreviousTime;
        if (timeMode >= TimeSeriesResidual)
        {
            if (!ByteCoding.TryReadVarInt(buffer, ref position, end, out var timeResidual))
            {
                return false;
            }

            time = unchecked(time + ByteCoding.UnZigZag(timeResidual));
        }

        if (time < MinMilliseconds || time > MaxMilliseconds)
        {
            return false;
        }

        var quality = table.QualityOf(slot);
        var scale = table.ScaleOf(slot);
        if ((tag & MetaFlag) != 0)
        {
            if (end - position < 2)
            {
                return false;
            }

            quality = buffer[position++];
            scale = buffer[position++];
            if (scale > FixedDecimal.MaxScale)
            {
                return false;
            }
        }

        var mantissa = table.PredictValue(slot, (tag & LinearFlag) != 0);
        if ((tag & ExactValueFlag) == 0)
        {
            if (!ByteCoding.TryReadVarInt(buffer, ref position, end, out var valueResidual))
            {
                return false;
            }

            mantissa = unchecked(mantissa + ByteCoding.UnZigZag(valueResidual));
        }

        var key = table.KeyAt(slot);
        table.Record(slot, seriesMode == SeriesNew, time, mantissa, scale, quality);
        reading.Meter = SeriesTable.MeterOf(key);
        reading.Point = SeriesTable.PointOf(key);
        reading.Time = new System.DateTime(time * TicksPerMillisecond, System.DateTimeKind.Utc);
        reading.Value = new FixedDecimal(mantissa, scale);
        reading.Quality = (ReadingQuality)quality;
        return true;
    }
}
