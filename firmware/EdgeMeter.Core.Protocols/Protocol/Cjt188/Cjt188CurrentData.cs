using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// A meter's current data (DI 901FH), decoded: each field's value and unit, the meter's clock and status word. The
/// layout follows from the reply's length: 16H for water and gas meters, 2EH for heat meters. Values are BCD, low byte
/// first; a field whose bytes are not BCD (FFH where a meter has nothing) is absent. Reused: nothing is allocated per
/// read.
/// </summary>
public sealed class Cjt188CurrentData
{
    public const int WaterOrGasLength = 0x16;
    public const int HeatLength = 0x2E;

    private const int FieldCount = 10;
    private readonly FixedDecimal[] _values = new FixedDecimal[FieldCount];
    private readonly string?[] _units = new string?[FieldCount];
    private readonly bool[] _present = new bool[FieldCount];

    /// <summary>True when the last decoded reply was a heat meter's.</summary>
    public bool IsHeat { get; private set; }

    /// <summary>The meter's clock (the meter's local time), or <see cref="System.DateTime.MinValue"/> when it sent none.</summary>
    public System.DateTime MeterTime { get; private set; }

    /// <summary>ST: bits 0-1 valve (00 open, 01 closed, 11 abnormal), bit 2 battery low; the rest the manufacturer's.</summary>
    public int Status { get; private set; }

    /// <summary>The meter reports a fault with its values: an abnormal valve or a low battery.</summary>
    public bool HasAlarm => (Status & 0x03) == 0x03 || (Status & 0x04) != 0;

    public bool TryGet(Cjt188Field field, out FixedDecimal value, out string unit)
    {
        var index = (int)field;
        value = _values[index];
        unit = _units[index] ?? "";
        return _present[index];
    }

    /// <summary>Decodes the data field of a reply (DI, SER, values). False when its length is neither layout's or a unit
    /// code is unknown.</summary>
    public bool TryDecode(byte[] data, int length)
    {
        System.Array.Clear(_present, 0, FieldCount);
        if (length == WaterOrGasLength)
        {
            IsHeat = false;
            return TryValue(Cjt188Field.Total, data, 3, 4, 2)
                && TryValue(Cjt188Field.SettlementTotal, data, 8, 4, 2)
                && Finish(data, 13);
        }

        if (length != HeatLength)
        {
            return false;
        }

        IsHeat = true;
        return TryValue(Cjt188Field.SettlementHeat, data, 3, 4, 2)
            && TryValue(Cjt188Field.Heat, data, 8, 4, 2)
            && TryValue(Cjt188Field.Power, data, 13, 4, 2)
            && TryValue(Cjt188Field.FlowRate, data, 18, 4, 4)
            && TryValue(Cjt188Field.Volume, data, 23, 4, 2)
            && Plain(Cjt188Field.SupplyTemperature, data, 28, 3, 2, "degC")
            && Plain(Cjt188Field.ReturnTemperature, data, 31, 3, 2, "degC")
            && Plain(Cjt188Field.WorkingHours, data, 34, 3, 0, "h")
            && Finish(data, 37);
    }

    /// <summary>BCD digits at <c>data[offset..offset+count)</c>, low byte first; -1 when a nibble is not a digit.</summary>
    public static long DecodeBcd(byte[] data, int offset, int count)
    {
        long value = 0;
        for (var i = offset + count - 1; i >= offset; i--)
        {
            int high = data[i] >> 4, low = data[i] & 15;
            if (high > 9 || low > 9)
            {
                return -1;
            }

            value = (value * 100) + (high * 10) + low;
        }

        return value;
    }

    // A value and the unit byte after it.
    private bool TryValue(Cjt188Field field, byte[] data, int offset, int count, int decimals)
    {
        var code = data[offset + count];
        var unit = Cjt188Units.NameOf(code);
        if (unit == null)
        {
            return false;
        }

        var digits = DecodeBcd(data, offset, count);
        if (digits >= 0)
        {
            Set(field, new FixedDecimal(digits * Cjt188Units.MultiplierOf(code), decimals), unit);
        }

        return true;
    }

    private bool Plain(Cjt188Field field, byte[] data, int offset, int count, int decimals, string unit)
    {
        var digits = DecodeBcd(data, offset, count);
        if (digits >= 0)
        {
            Set(field, new FixedDecimal(digits, decimals), unit);
        }

        return true;
    }

    private void Set(Cjt188Field field, FixedDecimal value, string unit)
    {
        _values[(int)field] = value;
        _units[(int)field] = unit;
        _present[(int)field] = true;
    }

    // Real time (ss mm hh DD MM YY CC) and ST (low byte first).
    private bool Finish(byte[] data, int offset)
    {
        MeterTime = DecodeTime(data, offset);
        Status = data[offset + 7] | (data[offset + 8] << 8);
        return true;
    }

    private static System.DateTime DecodeTime(byte[] data, int offset)
    {
        var second = DecodeBcd(data, offset, 1);
        var minute = DecodeBcd(data, offset + 1, 1);
        var hour = DecodeBcd(data, offset + 2, 1);
        var day = DecodeBcd(data, offset + 3, 1);
        var month = DecodeBcd(data, offset + 4, 1);
        var year = DecodeBcd(data, offset + 5, 2);
        if (second < 0 || second > 59 || minute < 0 || minute > 59 || hour < 0 || hour > 23
            || month < 1 || month > 12 || day < 1 || day > System.DateTime.DaysInMonth((int)(year < 1 ? 1 : year), (int)month) || year < 2000)
        {
            return System.DateTime.MinValue;
        }

        return new System.DateTime((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second);
    }
}
