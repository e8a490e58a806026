using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Values;

namespace EdgeMeter.MeterSim.Protocol.Cjt188;

/// <summary>
/// CJ/T 188 replies as a meter sends them (the server side, which the gateway never needs): FE preamble,
/// <c>68 T A0..A6 C L DATA CS 16</c>, the current data in the layouts of docs/cjt188.md.
/// </summary>
public static class Cjt188ReplyEncoder
{
    public const int PreambleLength = 2;

    /// <summary>What a water or gas meter reports: m3 now and at the settlement day, its clock, its status.</summary>
    public sealed record WaterOrGas(FixedDecimal Total, FixedDecimal SettlementTotal, DateTime LocalTime, int Status);

    /// <summary>What a heat meter reports (heats in GJ, power kW, flow m3/h, volume m3).</summary>
    public sealed record Heat(
        FixedDecimal SettlementHeat, FixedDecimal CurrentHeat, FixedDecimal Power, FixedDecimal FlowRate, FixedDecimal Volume,
        FixedDecimal Supply, FixedDecimal Return, long Hours, DateTime LocalTime, int Status);

    /// <summary>The reply to a read of 901FH, its DI in the order the request carried it (<paramref name="di0"/> first).</summary>
    public static byte[] CurrentData(byte meterType, Cjt188Address address, byte di0, byte di1, byte sequence, WaterOrGas values)
    {
        var data = new List<byte> { di0, di1, sequence };
        Value(data, values.Total, 2, 4, 0x2C);
        Value(data, values.SettlementTotal, 2, 4, 0x2C);
        Time(data, values.LocalTime);
        Status(data, values.Status);
        return Frame(meterType, address, 0x81, data);
    }

    public static byte[] CurrentData(byte meterType, Cjt188Address address, byte di0, byte di1, byte sequence, Heat values)
    {
        var data = new List<byte> { di0, di1, sequence };
        Value(data, values.SettlementHeat, 2, 4, 0x11);
        Value(data, values.CurrentHeat, 2, 4, 0x11);
        Value(data, values.Power, 2, 4, 0x17);
        Value(data, values.FlowRate, 4, 4, 0x35);
        Value(data, values.Volume, 2, 4, 0x2C);
        Bcd(data, Scaled(values.Supply, 2), 3);
        Bcd(data, Scaled(values.Return, 2), 3);
        Bcd(data, values.Hours, 3);
        Time(data, values.LocalTime);
        Status(data, values.Status);
        return Frame(meterType, address, 0x81, data);
    }

    /// <summary>The answer to read address (DI 810AH).</summary>
    public static byte[] Address(byte meterType, Cjt188Address address, byte sequence) =>
        Frame(meterType, address, 0x83, [0x81, 0x0A, sequence]);

    /// <summary>An abnormal reply (C bit 6): SER and a status word, as the standard lays it out.</summary>
    public static byte[] Abnormal(byte meterType, Cjt188Address address, byte function, byte sequence) =>
        Frame(meterType, address, (byte)(0xC0 | function), [sequence, 0x00, 0x00]);

    private static byte[] Frame(byte meterType, Cjt188Address address, byte control, List<byte> data)
    {
        var frame = new byte[PreambleLength + 13 + data.Count];
        for (var i = 0; i < PreambleLength; i++)
        {
            frame[i] = 0xFE;
        }

        var at = PreambleLength;
        frame[at++] = 0x68;
        frame[at++] = meterType;
        address.WriteTo(frame, at);
        at += Cjt188Address.Length;
        frame[at++] = control;
        frame[at++] = (byte)data.Count;
        data.CopyTo(frame, at);
        at += data.Count;
        frame[at] = Cjt188FrameParser.Checksum(frame, PreambleLength, at - PreambleLength);
        frame[at + 1] = 0x16;
        return frame;
    }

    private static void Value(List<byte> data, FixedDecimal value, int decimals, int bytes, byte unit)
    {
        Bcd(data, Scaled(value, decimals), bytes);
        data.Add(unit);
    }

    private static long Scaled(FixedDecimal value, int decimals) =>
        FixedDecimal.TryRescale(value, decimals, out var scaled) ? scaled.Mantissa : throw new ArgumentException($"{value} does not fit {decimals} decimals");

    private static void Bcd(List<byte> data, long value, int bytes)
    {
        for (var i = 0; i < bytes; i++)
        {
            var pair = (int)(value % 100);
            data.Add((byte)(((pair / 10) << 4) | (pair % 10)));
            value /= 100;
        }
    }

    private static void Time(List<byte> data, DateTime local)
    {
        Bcd(data, local.Second, 1);
        Bcd(data, local.Minute, 1);
        Bcd(data, local.Hour, 1);
        Bcd(data, local.Day, 1);
        Bcd(data, local.Month, 1);
        Bcd(data, local.Year, 2);
    }

    private static void Status(List<byte> data, int status)
    {
        data.Add((byte)status);
        data.Add((byte)(status >> 8));
    }
}
