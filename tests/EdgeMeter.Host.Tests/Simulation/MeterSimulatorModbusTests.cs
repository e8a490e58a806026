using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Simulation;

public class MeterSimulatorModbusTests
{
    private readonly FrozenClock _clock = new();

    public static TheoryData<int> MapPoints() => [.. Enumerable.Range(0, ModbusRegisterMap.Standard.Points.Count)];

    [Theory]
    [MemberData(nameof(MapPoints))]
    public void Every_point_of_the_map_decodes_to_the_models_value(int index)
    {
        var point = ModbusRegisterMap.Standard.Points[index];
        var simulator = Simulator(["modbus:3"]);
        var master = Master(simulator, out _);
        var registers = new ushort[point.RegisterCount];
        var status = point.Function == ModbusFunction.ReadInputRegisters
            ? master.ReadInputRegisters(3, point.Address, point.RegisterCount, registers)
            : master.ReadHoldingRegisters(3, point.Address, point.RegisterCount, registers);
        Assert.Equal(ReadStatus.Ok, status);

        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point.Point, registers, 0, out var value));
        var expected = point.Value(simulator.Model(MeterSpec.Modbus(3)), _clock.UtcNow);
        if (point.Quantity == null || point.Type is not (ModbusDataType.Float32 or ModbusDataType.Float64))
        {
            // Integers and test patterns are exact at the point's resolution.
            Assert.Equal(Rescale(expected, value.Scale), value.Mantissa);
        }
        else
        {
            // A float32 holds about 7 significant digits.
            var tolerance = Math.Abs(ToDouble(expected)) * 2e-7 + Math.Pow(10, -value.Scale);
            Assert.Equal(ToDouble(expected), ToDouble(value), tolerance);
        }
    }

    [Fact]
    public void Sdm630_voltage_current_and_power_agree_with_each_other()
    {
        var simulator = Simulator(["modbus:1"]);
        var master = Master(simulator, out _);
        var registers = new ushort[0x36];
        Assert.Equal(ReadStatus.Ok, master.ReadInputRegisters(1, 0, registers.Length, registers));
        float At(int address) => BitConverter.UInt32BitsToSingle(((uint)registers[address] << 16) | registers[address + 1]);

        Assert.InRange(At(0x0000), 210f, 230f);
        Assert.InRange(At(0x0000) * At(0x0006) * At(0x001E) / At(0x000C), 0.995f, 1.005f);
        Assert.InRange((At(0x000C) + At(0x000E) + At(0x0010)) / At(0x0034), 0.999f, 1.001f);
        Assert.Equal(0, registers[0x0024]); // a register of the area without a point reads as 0
    }

    [Fact]
    public void The_process_area_holds_totals_that_only_grow_and_heat_that_follows_the_steam()
    {
        var model = new SimulatedMeter(7);
        var start = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc);
        var previous = new Dictionary<Quantity, long>();
        for (var minute = 0; minute < 24 * 60; minute += 7)
        {
            var at = start.AddMinutes(minute);
            foreach (var total in new[] { Quantity.SteamTotal, Quantity.GasTotal, Quantity.HeatTotal, Quantity.WaterTotal })
            {
                var value = model.Value(total, at).Mantissa;
                Assert.True(!previous.TryGetValue(total, out var before) || value >= before, $"{total} fell at {at:HH:mm}");
                previous[total] = value;
            }

            var steam = ToDouble(model.Value(Quantity.SteamTotal, at));
            Assert.Equal(steam * SimulatedMeter.GigajoulesPerTonneOfSteam, ToDouble(model.Value(Quantity.HeatTotal, at)), 0.2);
            Assert.InRange(ToDouble(model.Value(Quantity.SteamFlow, at)), 1.4, 13);
        }
    }

    [Fact]
    public void Requests_outside_the_map_and_writes_get_exceptions()
    {
        var simulator = Simulator(["modbus:1"]);
        var master = Master(simulator, out _);
        var registers = new ushort[4];

        Assert.Equal(ReadStatus.ErrorReply, master.ReadHoldingRegisters(1, 0x0000, 1, registers));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, master.LastException);
        Assert.Equal(ReadStatus.ErrorReply, master.ReadInputRegisters(1, ModbusRegisterMap.InputEnd - 1, 2, registers));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, master.LastException);
        Assert.Equal(ReadStatus.ErrorReply, master.WriteSingleRegister(1, 0x1000, 5));
        Assert.Equal(ModbusExceptionCode.IllegalFunction, master.LastException);
        Assert.Equal(ReadStatus.ErrorReply, master.ReadCoils(1, 0, 8, new bool[8]));
        Assert.Equal(ModbusExceptionCode.IllegalFunction, master.LastException);
    }

    [Fact]
    public void An_unknown_function_is_answered_when_the_line_falls_silent()
    {
        var session = Simulator(["modbus:1"]).OpenSession();
        var frame = new byte[8];
        frame[0] = 1;
        frame[1] = 0x2B; // read device identification: no length rule for it
        frame[2] = 0x0E;
        frame[3] = 0x01;
        frame[4] = 0x00;
        var length = ModbusCrc.Append(frame, 5);

        Assert.Empty(session.Receive(frame.AsSpan(0, length)));
        var reply = Assert.Single(session.Silence());
        Assert.Equal([0x01, 0xAB, 0x01], reply.Bytes[..3]);
    }

    [Fact]
    public void Units_not_served_and_broadcasts_stay_silent()
    {
        var simulator = Simulator(["modbus:1"]);
        var master = Master(simulator, out var link);
        master.ResponseTimeoutMilliseconds = 50;
        Assert.Equal(ReadStatus.Timeout, master.ReadHoldingRegisters(2, 0x1000, 2, new ushort[2]));
        Assert.Equal(ReadStatus.Ok, master.WriteSingleRegister(0, 0x1000, 1));
        Assert.Empty(link.Replies);
    }

    [Fact]
    public void One_stream_carries_both_protocols_with_noise_between_requests()
    {
        var simulator = Simulator(["modbus:1", "dlt645:123456789012"]);
        var stream = new List<byte> { 0x00, 0xFF, 0x68, 0x16, 0x01 };
        var buffer = new byte[300];
        var length = Dlt645FrameEncoder.EncodeReadRequest(buffer, 0, 4, Dlt645Version.V2007, Dlt645Address.Parse("123456789012"), 0x02010100);
        stream.AddRange(buffer[..length]);
        stream.AddRange([0x03, 0x01, 0x04]);
        length = ModbusRtuRequest.BuildRead(buffer, 1, ModbusFunction.ReadInputRegisters, 0, 2);
        stream.AddRange(buffer[..length]);
        length = Dlt645FrameEncoder.EncodeReadRequest(buffer, 0, 0, Dlt645Version.V2007, Dlt645Address.Parse("123456789012"), 0x00010000);
        stream.AddRange(buffer[..length]);

        var replies = simulator.OpenSession().Receive(stream.ToArray());

        Assert.Equal(["dlt645:123456789012", "modbus:1", "dlt645:123456789012"], replies.Select(r => r.Meter.ToString()));
        var reader = ModbusFrameReader.ForResponses();
        reader.Append(replies[1].Bytes, 0, replies[1].Bytes.Length);
        Assert.Equal(ModbusFrameState.Complete, reader.State);
        Assert.Equal(9, reader.Length);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw_and_corrupted_requests_are_never_answered()
    {
        var simulator = Simulator(["modbus:1", "dlt645:123456789012"]);
        var session = simulator.OpenSession();
        var random = new Random(20261126);
        var noise = new byte[200_000];
        random.NextBytes(noise);
        for (var offset = 0; offset < noise.Length; offset += 1000)
        {
            session.Receive(noise.AsSpan(offset, 1000));
            session.Silence();
        }

        var request = new byte[64];
        var modbusLength = ModbusRtuRequest.BuildRead(request, 1, ModbusFunction.ReadInputRegisters, 0, 2);
        for (var bit = 0; bit < modbusLength * 8; bit++)
        {
            var corrupted = request[..modbusLength];
            corrupted[bit / 8] ^= (byte)(1 << (bit % 8));
            var fresh = simulator.OpenSession();
            Assert.Empty(fresh.Receive(corrupted));
            Assert.Empty(fresh.Silence());
        }

        var dltLength = Dlt645FrameEncoder.EncodeReadRequest(request, 0, 0, Dlt645Version.V2007, Dlt645Address.Parse("123456789012"), 0x02010100);
        var flipped = request[..dltLength];
        flipped[^2] ^= 0x01; // the CS
        Assert.Empty(simulator.OpenSession().Receive(flipped));
    }

    private MeterSimulator Simulator(string[] meters) => new(new SimulatorOptions
    {
        Meters = meters.Select(MeterSpec.Parse).ToList(),
        Clock = _clock,
    });

    private ModbusRtuMaster Master(MeterSimulator simulator, out SessionLink link)
    {
        link = new SessionLink(simulator.OpenSession());
        return new ModbusRtuMaster(link, _clock) { ResponseTimeoutMilliseconds = 500 };
    }

    private static long Rescale(FixedDecimal value, int scale)
    {
        var mantissa = (decimal)value.Mantissa / (decimal)Math.Pow(10, value.Scale) * (decimal)Math.Pow(10, scale);
        return (long)Math.Round(mantissa, MidpointRounding.AwayFromZero);
    }

    private static double ToDouble(FixedDecimal value) => value.Mantissa / Math.Pow(10, value.Scale);
}
