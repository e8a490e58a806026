using System.Globalization;
using System.Numerics;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusValueCodecTests
{
    private static readonly ModbusDataType[] IntegerTypes =
    [
        ModbusDataType.Int16, ModbusDataType.UInt16, ModbusDataType.Int32, ModbusDataType.UInt32,
        ModbusDataType.Int64, ModbusDataType.UInt64,
    ];

    [Theory]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0xFFFF }, 0, "-1")]
    [InlineData(ModbusDataType.UInt16, ModbusWordOrder.BigEndian, new ushort[] { 0xFFFF }, 0, "65535")]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0xCFC7 }, -2, "-123.45")]
    [InlineData(ModbusDataType.Int32, ModbusWordOrder.BigEndian, new ushort[] { 0xFFFF, 0xFFFE }, 0, "-2")]
    [InlineData(ModbusDataType.Int32, ModbusWordOrder.LittleEndian, new ushort[] { 0xFFFE, 0xFFFF }, 0, "-2")]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.BigEndian, new ushort[] { 0x0001, 0x0000 }, 0, "65536")]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.LittleEndian, new ushort[] { 0x0000, 0x0001 }, 0, "65536")]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.BigEndian, new ushort[] { 0x0000, 0x55FA }, -1, "2201.0")]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.BigEndian, new ushort[] { 0xFFFF, 0xFFFF }, -3, "4294967.295")]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0x0005 }, 3, "5000")]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0x0001 }, 18, "1000000000000000000")]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0x8000 }, -18, "-0.000000000000032768")]
    [InlineData(ModbusDataType.Int64, ModbusWordOrder.BigEndian, new ushort[] { 0x8000, 0, 0, 0 }, 0, "-9223372036854775808")]
    [InlineData(ModbusDataType.Int64, ModbusWordOrder.LittleEndian, new ushort[] { 0, 0, 0, 0x8000 }, 0, "-9223372036854775808")]
    [InlineData(ModbusDataType.Int64, ModbusWordOrder.BigEndian, new ushort[] { 0x7FFF, 0xFFFF, 0xFFFF, 0xFFFF }, -2, "92233720368547758.07")]
    [InlineData(ModbusDataType.Int64, ModbusWordOrder.LittleEndian, new ushort[] { 0x0304, 0x0102, 0x0000, 0x0000 }, 0, "16909060")]
    [InlineData(ModbusDataType.UInt64, ModbusWordOrder.BigEndian, new ushort[] { 0x7FFF, 0xFFFF, 0xFFFF, 0xFFFF }, 0, "9223372036854775807")]
    public void Decodes_integers_exactly(ModbusDataType type, ModbusWordOrder order, ushort[] registers, int power10, string expected)
    {
        var point = Point(type, order, power10);
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, 0, out var value));
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData(ModbusDataType.UInt64, new ushort[] { 0x8000, 0, 0, 0 }, 0)] // above long.MaxValue
    [InlineData(ModbusDataType.Int16, new ushort[] { 0x000A }, 18)]          // 1e19
    [InlineData(ModbusDataType.Int16, new ushort[] { 0xFFF6 }, 18)]          // -1e19
    [InlineData(ModbusDataType.Int64, new ushort[] { 0x8000, 0, 0, 0 }, 1)]
    public void Refuses_integers_whose_scaled_value_overflows(ModbusDataType type, ushort[] registers, int power10)
    {
        var status = ModbusValueCodec.Decode(Point(type, ModbusWordOrder.BigEndian, power10), registers, 0, out var value);
        Assert.Equal(ModbusValueStatus.OutOfRange, status);
        Assert.Equal(default, value);
    }

    [Fact]
    public void Decodes_at_an_offset_inside_a_block()
    {
        ushort[] block = [0xDEAD, 0x0000, 0x0102, 0xBEEF];
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(Point(ModbusDataType.UInt32), block, 1, out var value));
        Assert.Equal(new FixedDecimal(0x0102, 0), value);
    }

    [Fact]
    public void Integer_types_round_trip_for_both_word_orders_including_extremes()
    {
        var random = new Random(1997);
        var registers = new ushort[6];
        foreach (var type in IntegerTypes)
        {
            foreach (var order in new[] { ModbusWordOrder.BigEndian, ModbusWordOrder.LittleEndian })
            {
                var (min, max) = RawRange(type);
                var raws = new List<long> { min, max, 0, 1, -1, min + 1, max - 1 };
                for (var i = 0; i < 300; i++)
                {
                    raws.Add(random.NextInt64(min, max));
                }

                foreach (var raw in raws.Where(r => r >= min && r <= max))
                {
                    foreach (var power10 in new[] { 0, -1, -3, -18 })
                    {
                        var point = Point(type, order, power10);
                        var value = new FixedDecimal(raw, -power10);
                        Array.Fill(registers, (ushort)0x5A5A);
                        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(point, value, registers, 1));
                        Assert.Equal(0x5A5A, registers[0]);
                        Assert.Equal(0x5A5A, registers[1 + point.RegisterCount]);
                        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, 1, out var back));
                        Assert.Equal(value, back);
                    }
                }
            }
        }
    }

    [Fact]
    public void Word_order_little_endian_swaps_registers_not_bytes()
    {
        var registers = new ushort[4];
        var point = Point(ModbusDataType.Int64, ModbusWordOrder.LittleEndian);
        ModbusValueCodec.Encode(point, new FixedDecimal(0x0102030405060708, 0), registers, 0);
        Assert.Equal(new ushort[] { 0x0708, 0x0506, 0x0304, 0x0102 }, registers);

        ModbusValueCodec.Encode(Point(ModbusDataType.Int64), new FixedDecimal(0x0102030405060708, 0), registers, 0);
        Assert.Equal(new ushort[] { 0x0102, 0x0304, 0x0506, 0x0708 }, registers);
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, 22015L, 2, -1, new ushort[] { 2202 })]     // 220.15: half away from zero
    [InlineData(ModbusDataType.Int16, -22015L, 2, -1, new ushort[] { 0xF766 })]  // -2202
    [InlineData(ModbusDataType.Int16, 220149L, 3, -1, new ushort[] { 2201 })]
    [InlineData(ModbusDataType.UInt32, 15L, 1, 0, new ushort[] { 0, 2 })]
    [InlineData(ModbusDataType.UInt16, 12000L, 0, 3, new ushort[] { 12 })]      // kWh into MWh registers
    [InlineData(ModbusDataType.UInt16, 1L, 18, 0, new ushort[] { 0 })]
    [InlineData(ModbusDataType.Int64, long.MinValue, 18, 18, new ushort[] { 0, 0, 0, 0 })] // -9.2 x 10^-18 rounds to 0
    [InlineData(ModbusDataType.Int64, long.MinValue, 18, -18, new ushort[] { 0x8000, 0, 0, 0 })]
    public void Encodes_integers_rounding_half_away_from_zero(ModbusDataType type, long mantissa, int scale, int power10, ushort[] expected)
    {
        var registers = new ushort[expected.Length];
        var status = ModbusValueCodec.Encode(Point(type, ModbusWordOrder.BigEndian, power10), new FixedDecimal(mantissa, scale), registers, 0);
        Assert.Equal(ModbusValueStatus.Ok, status);
        Assert.Equal(expected, registers);
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, 32768L, 0, 0)]
    [InlineData(ModbusDataType.Int16, -32769L, 0, 0)]
    [InlineData(ModbusDataType.Int16, 32768L, 1, -1)]
    [InlineData(ModbusDataType.UInt16, -1L, 0, 0)]
    [InlineData(ModbusDataType.UInt16, 65536L, 0, 0)]
    [InlineData(ModbusDataType.UInt32, -5L, 1, 0)]         // -0.5 rounds to -1
    [InlineData(ModbusDataType.UInt32, 4294967296L, 0, 0)]
    [InlineData(ModbusDataType.Int64, long.MaxValue, 0, -1)]
    [InlineData(ModbusDataType.UInt64, long.MaxValue, 0, -2)]
    public void Refuses_to_encode_values_the_type_cannot_hold(ModbusDataType type, long mantissa, int scale, int power10)
    {
        var registers = new ushort[] { 1, 2, 3, 4 };
        var status = ModbusValueCodec.Encode(Point(type, ModbusWordOrder.BigEndian, power10), new FixedDecimal(mantissa, scale), registers, 0);
        Assert.Equal(ModbusValueStatus.OutOfRange, status);
        Assert.Equal(new ushort[] { 1, 2, 3, 4 }, registers);
    }

    [Theory]
    [InlineData(0x3F800000u, 0, "1")]
    [InlineData(0x41200000u, 1, "10.0")]
    [InlineData(0xC0490FDBu, 4, "-3.1416")]      // -pi
    [InlineData(0x40200000u, 0, "3")]            // 2.5: half away from zero
    [InlineData(0xC0200000u, 0, "-3")]           // -2.5
    [InlineData(0x3E000000u, 2, "0.13")]         // 0.125
    [InlineData(0xBE000000u, 2, "-0.13")]        // -0.125
    [InlineData(0x43662666u, 2, "230.15")]       // 230.149993896484375
    [InlineData(0x3DCCCCCDu, 9, "0.100000001")]  // 0.100000001490116...: the float's own digits
    [InlineData(0x80000000u, 3, "0.000")]        // -0
    [InlineData(0x00000001u, 18, "0.000000000000000000")] // smallest subnormal
    [InlineData(0x5EFFFFFFu, 0, "9223371487098961920")]   // largest float below 2^63
    [InlineData(0xDF000000u, 0, "-9223372036854775808")]  // -2^63
    public void Decodes_float32_by_rounding_its_exact_value(uint bits, int decimals, string expected)
    {
        var point = Point(ModbusDataType.Float32, ModbusWordOrder.BigEndian, 0, decimals);
        ushort[] registers = [(ushort)(bits >> 16), (ushort)bits];
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, 0, out var value));
        Assert.Equal(expected, value.ToString());
        Assert.Equal(decimals, value.Scale);
    }

    [Fact]
    public void Float_decode_applies_the_power_of_ten_before_rounding()
    {
        var point = Point(ModbusDataType.Float32, ModbusWordOrder.LittleEndian, power10: -3, decimals: 2);
        var bits = BitConverter.SingleToUInt32Bits(12345678f); // Wh -> kWh
        ushort[] registers = [(ushort)bits, (ushort)(bits >> 16)];
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, 0, out var value));
        Assert.Equal("12345.68", value.ToString());
    }

    [Fact]
    public void Float64_1_005_rounds_down_because_its_binary_value_is_below_the_half()
    {
        var point = Point(ModbusDataType.Float64, ModbusWordOrder.BigEndian, 0, 2);
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, Float64Registers(1.005), 0, out var value));
        Assert.Equal("1.00", value.ToString()); // 1.00499999999999989341858963598497211933135986328125
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, Float64Registers(-1.125), 0, out value));
        Assert.Equal("-1.13", value.ToString()); // an exact half
    }

    [Theory]
    [InlineData(0x7FC00000u, ModbusValueStatus.NotANumber)]
    [InlineData(0xFFC00000u, ModbusValueStatus.NotANumber)]
    [InlineData(0x7F800001u, ModbusValueStatus.NotANumber)] // signalling NaN
    [InlineData(0x7F800000u, ModbusValueStatus.Infinite)]
    [InlineData(0xFF800000u, ModbusValueStatus.Infinite)]
    [InlineData(0x5F000000u, ModbusValueStatus.OutOfRange)] // 2^63
    [InlineData(0x7F7FFFFFu, ModbusValueStatus.OutOfRange)] // float.MaxValue
    public void Refuses_float32_specials_and_huge_values(uint bits, ModbusValueStatus expected)
    {
        ushort[] registers = [(ushort)(bits >> 16), (ushort)bits];
        var status = ModbusValueCodec.Decode(Point(ModbusDataType.Float32), registers, 0, out var value);
        Assert.Equal(expected, status);
        Assert.Equal(default, value);
    }

    [Theory]
    [InlineData(double.NaN, ModbusValueStatus.NotANumber)]
    [InlineData(double.PositiveInfinity, ModbusValueStatus.Infinite)]
    [InlineData(double.NegativeInfinity, ModbusValueStatus.Infinite)]
    [InlineData(9.223372036854775807E18, ModbusValueStatus.OutOfRange)] // rounds to 2^63
    [InlineData(-9.2233720368547758E18, ModbusValueStatus.Ok)]          // exactly -2^63
    [InlineData(double.MaxValue, ModbusValueStatus.OutOfRange)]
    [InlineData(double.Epsilon, ModbusValueStatus.Ok)]
    public void Refuses_float64_specials_and_huge_values(double number, ModbusValueStatus expected)
    {
        var point = Point(ModbusDataType.Float64, ModbusWordOrder.LittleEndian, 0, 0);
        var registers = Float64Registers(number).Reverse().ToArray();
        Assert.Equal(expected, ModbusValueCodec.Decode(point, registers, 0, out _));
    }

    [Fact]
    public void Float_decode_matches_exact_big_integer_arithmetic_on_random_bit_patterns()
    {
        var random = new Random(754);
        for (var i = 0; i < 4000; i++)
        {
            var decimals = random.Next(0, 10);
            var power10 = random.Next(-6, 9 - decimals);
            var is64 = (i & 1) == 1;
            ulong bits;
            double exact;
            if (is64)
            {
                // exponents around 2^-40 .. 2^70 so that many values land inside a long
                bits = ((ulong)random.Next(2) << 63) | ((ulong)random.Next(983, 1093) << 52) | ((ulong)random.NextInt64() & 0xFFFFFFFFFFFFF);
                exact = BitConverter.UInt64BitsToDouble(bits);
            }
            else
            {
                bits = ((ulong)random.Next(2) << 31) | ((ulong)random.Next(87, 197) << 23) | ((ulong)random.Next() & 0x7FFFFF);
                exact = BitConverter.UInt32BitsToSingle((uint)bits);
            }

            var point = Point(is64 ? ModbusDataType.Float64 : ModbusDataType.Float32, ModbusWordOrder.BigEndian, power10, decimals);
            var registers = new ushort[4];
            for (var w = 0; w < point.RegisterCount; w++)
            {
                registers[w] = (ushort)(bits >> (16 * (point.RegisterCount - 1 - w)));
            }

            var status = ModbusValueCodec.Decode(point, registers, 0, out var value);
            var expected = ReferenceRound(exact, decimals + power10);
            if (expected < long.MinValue || expected > long.MaxValue)
            {
                Assert.Equal(ModbusValueStatus.OutOfRange, status);
            }
            else
            {
                Assert.Equal(ModbusValueStatus.Ok, status);
                Assert.Equal(new FixedDecimal((long)expected, decimals), value);
            }
        }
    }

    [Fact]
    public void Float_encode_gives_the_nearest_float_like_the_runtime_parser()
    {
        var random = new Random(2007);
        var registers = new ushort[4];
        for (var i = 0; i < 4000; i++)
        {
            var scale = random.Next(0, 19);
            var power10 = random.Next(-18, 19);
            var mantissa = random.Next(4) switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => random.NextInt64(-100_000_000, 100_000_000),
                2 => random.NextInt64(-1000, 1000),
                _ => (random.Next(2) == 0 ? 1L : -1L) << random.Next(0, 63),
            };
            var value = new FixedDecimal(mantissa, scale);
            var text = $"{value}E{-power10}";

            var single = Point(ModbusDataType.Float32, ModbusWordOrder.BigEndian, power10);
            Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(single, value, registers, 0));
            var expected32 = BitConverter.SingleToUInt32Bits(float.Parse(text, CultureInfo.InvariantCulture));
            Assert.Equal(expected32, (uint)registers[0] << 16 | registers[1]);

            var dbl = Point(ModbusDataType.Float64, ModbusWordOrder.BigEndian, power10);
            Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(dbl, value, registers, 0));
            var expected64 = BitConverter.DoubleToUInt64Bits(double.Parse(text, CultureInfo.InvariantCulture));
            var actual64 = (ulong)registers[0] << 48 | (ulong)registers[1] << 32 | (ulong)registers[2] << 16 | registers[3];
            Assert.Equal(expected64, actual64);
        }
    }

    [Fact]
    public void Floats_round_trip_within_their_precision_for_both_word_orders()
    {
        var random = new Random(42);
        var registers = new ushort[4];
        foreach (var order in new[] { ModbusWordOrder.BigEndian, ModbusWordOrder.LittleEndian })
        {
            for (var i = 0; i < 2000; i++)
            {
                var scale = random.Next(0, 7);
                var power10 = random.Next(-3, 4);

                // float32 keeps any 6 significant digits, float64 any 15.
                var value32 = new FixedDecimal(random.Next(-999_999, 1_000_000), scale);
                var single = Point(ModbusDataType.Float32, order, power10, scale);
                AssertRoundTrip(single, value32, registers);

                var value64 = new FixedDecimal(random.NextInt64(-999_999_999_999_999, 1_000_000_000_000_000), scale);
                var dbl = Point(ModbusDataType.Float64, order, power10, scale);
                AssertRoundTrip(dbl, value64, registers);
            }

            AssertRoundTrip(Point(ModbusDataType.Float32, order, 0, 0), new FixedDecimal(16_777_216, 0), registers);
            AssertRoundTrip(Point(ModbusDataType.Float64, order, 0, 0), new FixedDecimal(9_007_199_254_740_992, 0), registers);
            AssertRoundTrip(Point(ModbusDataType.Float64, order, 0, 0), new FixedDecimal(long.MinValue, 0), registers);
            AssertRoundTrip(Point(ModbusDataType.Float32, order, 0, 18), new FixedDecimal(-1, 18), registers);
        }
    }

    /// <summary>Encode then decode at the value's own scale gives the value back.</summary>
    private static void AssertRoundTrip(ModbusPoint point, FixedDecimal value, ushort[] registers)
    {
        Assert.Equal(value.Scale, point.Decimals);
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(point, value, registers, 0));
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, 0, out var back));
        Assert.Equal(value, back);
    }

    /// <summary>round(exact x 10^shift), half away from zero, with BigInteger fractions.</summary>
    private static BigInteger ReferenceRound(double exact, int shift)
    {
        var bits = BitConverter.DoubleToInt64Bits(exact);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var significand = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            significand |= 1L << 52;
        }

        exponent -= 1075;
        BigInteger numerator = significand, denominator = 1;
        if (exponent > 0) numerator <<= exponent; else denominator <<= -exponent;
        if (shift > 0) numerator *= BigInteger.Pow(10, shift); else denominator *= BigInteger.Pow(10, -shift);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (remainder * 2 >= denominator)
        {
            quotient++;
        }

        return negative ? -quotient : quotient;
    }

    private static ushort[] Float64Registers(double number)
    {
        var bits = BitConverter.DoubleToUInt64Bits(number);
        return [(ushort)(bits >> 48), (ushort)(bits >> 32), (ushort)(bits >> 16), (ushort)bits];
    }

    private static (long Min, long Max) RawRange(ModbusDataType type) => type switch
    {
        ModbusDataType.Int16 => (short.MinValue, short.MaxValue),
        ModbusDataType.UInt16 => (0, ushort.MaxValue),
        ModbusDataType.Int32 => (int.MinValue, int.MaxValue),
        ModbusDataType.UInt32 => (0, uint.MaxValue),
        ModbusDataType.Int64 => (long.MinValue, long.MaxValue),
        _ => (0, long.MaxValue),
    };

    private static ModbusPoint Point(ModbusDataType type, ModbusWordOrder order = ModbusWordOrder.BigEndian, int power10 = 0, int decimals = 0)
        => new("p", 1, ModbusFunction.ReadHoldingRegisters, 0, type, order, power10, decimals, "kWh");
}
