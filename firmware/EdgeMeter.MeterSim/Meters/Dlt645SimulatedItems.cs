using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;

namespace EdgeMeter.MeterSim.Meters;

/// <summary>
/// What a simulated DL/T 645 meter answers for each catalogued data identifier: numeric DIs map to a
/// <see cref="Quantity"/> of the meter's physics, blocks (<c>..FF..</c>) to their elements, settlement and daily
/// frozen DIs to the energy at that past moment, date/time/address DIs to the meter's clock and address.
/// Every DI in <see cref="Dlt645Catalogue"/> is served; anything else gets "no requested data".
/// </summary>
public static class Dlt645SimulatedItems
{
    private static readonly Dictionary<uint, Quantity> Numeric2007 = new()
    {
        [0x00000000] = Quantity.CombinedActiveEnergy,
        [0x00010000] = Quantity.ForwardActiveEnergy,
        [0x00010100] = Quantity.ForwardActiveEnergyTariff1,
        [0x00010200] = Quantity.ForwardActiveEnergyTariff2,
        [0x00010300] = Quantity.ForwardActiveEnergyTariff3,
        [0x00010400] = Quantity.ForwardActiveEnergyTariff4,
        [0x00020000] = Quantity.ReverseActiveEnergy,
        [0x00020100] = Quantity.ReverseActiveEnergyTariff1,
        [0x00020200] = Quantity.ReverseActiveEnergyTariff2,
        [0x00020300] = Quantity.ReverseActiveEnergyTariff3,
        [0x00020400] = Quantity.ReverseActiveEnergyTariff4,
        [0x00030000] = Quantity.ReactiveEnergy1,
        [0x00040000] = Quantity.ReactiveEnergy2,
        [0x02010100] = Quantity.VoltageA,
        [0x02010200] = Quantity.VoltageB,
        [0x02010300] = Quantity.VoltageC,
        [0x02020100] = Quantity.CurrentA,
        [0x02020200] = Quantity.CurrentB,
        [0x02020300] = Quantity.CurrentC,
        [0x02030000] = Quantity.ActivePowerTotal,
        [0x02030100] = Quantity.ActivePowerA,
        [0x02030200] = Quantity.ActivePowerB,
        [0x02030300] = Quantity.ActivePowerC,
        [0x02040000] = Quantity.ReactivePowerTotal,
        [0x02040100] = Quantity.ReactivePowerA,
        [0x02040200] = Quantity.ReactivePowerB,
        [0x02040300] = Quantity.ReactivePowerC,
        [0x02050000] = Quantity.ApparentPowerTotal,
        [0x02050100] = Quantity.ApparentPowerA,
        [0x02050200] = Quantity.ApparentPowerB,
        [0x02050300] = Quantity.ApparentPowerC,
        [0x02060000] = Quantity.PowerFactorTotal,
        [0x02060100] = Quantity.PowerFactorA,
        [0x02060200] = Quantity.PowerFactorB,
        [0x02060300] = Quantity.PowerFactorC,
        [0x02800001] = Quantity.NeutralCurrent,
        [0x02800002] = Quantity.Frequency,
        [0x02800007] = Quantity.Temperature,
    };

    private static readonly Dictionary<uint, Quantity> Numeric1997 = new()
    {
        [0x9010] = Quantity.ForwardActiveEnergy,
        [0x9011] = Quantity.ForwardActiveEnergyTariff1,
        [0x9012] = Quantity.ForwardActiveEnergyTariff2,
        [0x9013] = Quantity.ForwardActiveEnergyTariff3,
        [0x9014] = Quantity.ForwardActiveEnergyTariff4,
        [0xA010] = Quantity.ActivePowerMaxDemand,
        [0xB611] = Quantity.VoltageA,
        [0xB612] = Quantity.VoltageB,
        [0xB613] = Quantity.VoltageC,
        [0xB621] = Quantity.CurrentA,
        [0xB622] = Quantity.CurrentB,
        [0xB623] = Quantity.CurrentC,
        [0xB630] = Quantity.ActivePowerTotal,
        [0xB640] = Quantity.ReactivePowerTotal,
        [0xB650] = Quantity.PowerFactorTotal,
    };

    private static readonly Quantity[] ForwardAndTariffs =
    [
        Quantity.ForwardActiveEnergy, Quantity.ForwardActiveEnergyTariff1, Quantity.ForwardActiveEnergyTariff2,
        Quantity.ForwardActiveEnergyTariff3, Quantity.ForwardActiveEnergyTariff4,
    ];

    private static readonly Dictionary<uint, Quantity[]> Blocks2007 = new()
    {
        [0x0001FF00] = ForwardAndTariffs,
        [0x0002FF00] =
        [
            Quantity.ReverseActiveEnergy, Quantity.ReverseActiveEnergyTariff1, Quantity.ReverseActiveEnergyTariff2,
            Quantity.ReverseActiveEnergyTariff3, Quantity.ReverseActiveEnergyTariff4,
        ],
        [0x0201FF00] = [Quantity.VoltageA, Quantity.VoltageB, Quantity.VoltageC],
        [0x0202FF00] = [Quantity.CurrentA, Quantity.CurrentB, Quantity.CurrentC],
        [0x0203FF00] = [Quantity.ActivePowerTotal, Quantity.ActivePowerA, Quantity.ActivePowerB, Quantity.ActivePowerC],
        [0x0204FF00] = [Quantity.ReactivePowerTotal, Quantity.ReactivePowerA, Quantity.ReactivePowerB, Quantity.ReactivePowerC],
        [0x0205FF00] = [Quantity.ApparentPowerTotal, Quantity.ApparentPowerA, Quantity.ApparentPowerB, Quantity.ApparentPowerC],
        [0x0206FF00] = [Quantity.PowerFactorTotal, Quantity.PowerFactorA, Quantity.PowerFactorB, Quantity.PowerFactorC],
    };

    private const uint LastSettlementForward2007 = 0x00010001;
    private const uint LastMonthForward1997 = 0x9410;

    /// <summary>
    /// Writes the value bytes of <paramref name="dataIdentifier"/> (as meant, lowest first, without the 0x33 offset)
    /// at <paramref name="destination"/>[0..] and returns their count, or -1 when the meter has no such data.
    /// </summary>
    public static int Read(SimulatedDlt645Meter meter, uint dataIdentifier, DateTime utc, byte[] destination)
    {
        var item = Dlt645Catalogue.Find(dataIdentifier, meter.Version);
        if (item == null)
        {
            return -1;
        }

        switch (item.Kind)
        {
            case Dlt645DataKind.Date:
                Dlt645ValueCodec.EncodeDate(meter.LocalTime(utc), destination, 0);
                return item.Length;
            case Dlt645DataKind.Time:
                Dlt645ValueCodec.EncodeTime(meter.LocalTime(utc), destination, 0);
                return item.Length;
            case Dlt645DataKind.Address:
                meter.Address.WriteTo(destination, 0);
                return item.Length;
        }

        if (dataIdentifier >= Dlt645Catalogue.DailyFreezeTime && dataIdentifier < Dlt645Catalogue.DailyFreezeTime + Dlt645Catalogue.DailyFrozenDays)
        {
            var frozeAt = meter.LocalTime(meter.DailyFreezeUtc(utc, (int)(dataIdentifier - Dlt645Catalogue.DailyFreezeTime) + 1));
            var digits = ((((((((long)frozeAt.Year % 100 * 100) + frozeAt.Month) * 100) + frozeAt.Day) * 100) + frozeAt.Hour) * 100) + frozeAt.Minute;
            Dlt645ValueCodec.TryEncode(new FixedDecimal(digits, 0), item.Length, 0, false, destination, 0);
            return item.Length;
        }

        var elements = Elements(item, meter.Version, out var at);
        if (elements == null)
        {
            return -1;
        }

        var when = at switch
        {
            Moment.LastSettlement => meter.LastSettlementUtc(utc),
            Moment.DailyFreeze => meter.DailyFreezeUtc(utc, (int)(dataIdentifier - Dlt645Catalogue.DailyFrozenForwardActiveEnergy) + 1),
            _ => utc,
        };
        for (var i = 0; i < elements.Length; i++)
        {
            var value = meter.Model.Value(elements[i], when);
            Encode(item, value, destination, i * item.ElementLength);
        }

        return elements.Length * item.ElementLength;
    }

    /// <summary>The quantities behind a numeric or block DI, or null.</summary>
    private static Quantity[]? Elements(Dlt645DataItem item, Dlt645Version version, out Moment at)
    {
        at = Moment.Now;
        var di = item.DataIdentifier;
        if (version == Dlt645Version.V1997)
        {
            if (di == LastMonthForward1997)
            {
                at = Moment.LastSettlement;
                return [Quantity.ForwardActiveEnergy];
            }

            return Numeric1997.TryGetValue(di, out var quantity1997) ? [quantity1997] : null;
        }

        if (di == LastSettlementForward2007)
        {
            at = Moment.LastSettlement;
            return [Quantity.ForwardActiveEnergy];
        }

        if (di >= Dlt645Catalogue.DailyFrozenForwardActiveEnergy
            && di < Dlt645Catalogue.DailyFrozenForwardActiveEnergy + Dlt645Catalogue.DailyFrozenDays)
        {
            at = Moment.DailyFreeze;
            return ForwardAndTariffs;
        }

        if (Blocks2007.TryGetValue(di, out var block))
        {
            return block;
        }

        return Numeric2007.TryGetValue(di, out var quantity) ? [quantity] : null;
    }

    /// <summary>
    /// Encodes a value in the item's BCD format, rounding to its decimals. A value that does not fit rolls over
    /// for energy registers (as a meter's counter does) and saturates for everything else (e.g. 1997 currents
    /// above 99.99 A).
    /// </summary>
    private static void Encode(Dlt645DataItem item, FixedDecimal value, byte[] destination, int offset)
    {
        var mantissa = Rescale(value, item.Decimals);
        var digits = item.ElementLength * 2;
        var limit = item.Signed ? 8 * Pow10(digits - 1) : Pow10(digits);
        if (Math.Abs(mantissa) >= limit)
        {
            var rollsOver = item.Unit.EndsWith('h');
            mantissa = rollsOver ? mantissa % limit : Math.Sign(mantissa) * (limit - 1);
        }

        if (mantissa < 0 && !item.Signed)
        {
            mantissa = 0;
        }

        Dlt645ValueCodec.TryEncode(new FixedDecimal(mantissa, item.Decimals), item.ElementLength, item.Decimals, item.Signed, destination, offset);
    }

    /// <summary>The mantissa of <paramref name="value"/> at <paramref name="decimals"/> decimals, rounded half away from zero.</summary>
    internal static long Rescale(FixedDecimal value, int decimals)
    {
        var difference = decimals - value.Scale;
        if (difference >= 0)
        {
            return value.Mantissa * Pow10(difference);
        }

        var divisor = Pow10(-difference);
        var quotient = value.Mantissa / divisor;
        var remainder = value.Mantissa % divisor;
        if (Math.Abs(remainder) * 2 >= divisor)
        {
            quotient += Math.Sign(value.Mantissa);
        }

        return quotient;
    }

    private static long Pow10(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private enum Moment
    {
        Now,
        LastSettlement,
        DailyFreeze,
    }
}
