using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Simulation;

public class MeterSimulatorDlt645Tests
{
    private const string Meter2007 = "dlt645:123456789012";
    private const string Meter1997 = "dlt645-1997:000000001997";
    private static readonly Dlt645Address Address2007 = Dlt645Address.Parse("123456789012");
    private static readonly Dlt645Address Address1997 = Dlt645Address.Parse("000000001997");

    private readonly FrozenClock _clock = new();

    [Fact]
    public void Answers_the_reference_request_with_the_models_voltage()
    {
        var simulator = Simulator([Meter2007]);
        var request = Bytes("FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 34 34 35 6B 16");

        var replies = simulator.OpenSession().Receive(request);

        var reply = Assert.Single(replies);
        var parser = new Dlt645FrameParser();
        var frames = reply.Bytes.Count(parser.Feed);
        Assert.Equal(1, frames);
        Assert.Equal(0x91, parser.Frame.Control);
        Assert.Equal(Address2007, parser.Frame.Address);
        Assert.True(parser.Frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.Equal(0x02010100u, di);
        Assert.True(Dlt645ValueCodec.TryDecode(parser.Frame.Data, 4, 2, 1, false, out var voltage));
        Assert.Equal(Model(simulator, Meter2007, Quantity.VoltageA), voltage);
        Assert.Equal([0xFE, 0xFE, 0xFE, 0xFE, 0x68], reply.Bytes[..5]);
    }

    [Fact]
    public void Serves_every_catalogued_identifier_of_both_editions_in_its_format()
    {
        var simulator = Simulator([Meter2007, Meter1997]);
        var master = Master(simulator, out _);
        for (var i = 0; i < Dlt645Catalogue.Count; i++)
        {
            var item = Dlt645Catalogue.Get(i);
            master.Version = item.Version;
            var address = item.Version == Dlt645Version.V1997 ? Address1997 : Address2007;
            var status = master.Read(address, item.DataIdentifier, out _);
            Assert.True(status == ReadStatus.Ok, $"{item.DataIdentifier:X} ({item.Name}): {status}");
            Assert.Equal(item.Length, master.LastDataLength);
        }
    }

    [Theory]
    [InlineData(0x00010000u, Quantity.ForwardActiveEnergy)]
    [InlineData(0x00010100u, Quantity.ForwardActiveEnergyTariff1)]
    [InlineData(0x00010400u, Quantity.ForwardActiveEnergyTariff4)]
    [InlineData(0x00020000u, Quantity.ReverseActiveEnergy)]
    [InlineData(0x00000000u, Quantity.CombinedActiveEnergy)]
    [InlineData(0x02010200u, Quantity.VoltageB)]
    [InlineData(0x02020300u, Quantity.CurrentC)]
    [InlineData(0x02030000u, Quantity.ActivePowerTotal)]
    [InlineData(0x02050100u, Quantity.ApparentPowerA)]
    [InlineData(0x02060000u, Quantity.PowerFactorTotal)]
    [InlineData(0x02800002u, Quantity.Frequency)]
    [InlineData(0x02800007u, Quantity.Temperature)]
    public void Numeric_identifiers_report_the_models_quantity(uint di, Quantity quantity)
    {
        var simulator = Simulator([Meter2007]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.Ok, master.Read(Address2007, di, out var value));
        Assert.Equal(Model(simulator, Meter2007, quantity), value);
    }

    [Fact]
    public void The_energy_block_is_the_total_then_tariffs_that_sum_to_it()
    {
        var simulator = Simulator([Meter2007]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.Ok, master.ReadRaw(Address2007, 0x0001FF00));
        var item = Dlt645Catalogue.Find(0x0001FF00, Dlt645Version.V2007)!;
        var elements = Enumerable.Range(0, 5).Select(i =>
        {
            Assert.True(Dlt645ValueCodec.TryDecodeElement(item, master.LastData, 0, master.LastDataLength, i, out var value));
            return value.Mantissa;
        }).ToArray();

        Assert.Equal(Model(simulator, Meter2007, Quantity.ForwardActiveEnergy).Mantissa, elements[0]);
        Assert.Equal(elements[0], elements[1..].Sum());
    }

    [Fact]
    public void Phase_values_read_over_the_protocol_are_consistent()
    {
        var simulator = Simulator([Meter2007]);
        var master = Master(simulator, out _);
        double Read(uint di)
        {
            Assert.Equal(ReadStatus.Ok, master.Read(Address2007, di, out var value));
            return value.Mantissa / Math.Pow(10, value.Scale);
        }

        var voltage = Read(0x02010100);
        var current = Read(0x02020100);
        var powerFactor = Read(0x02060100);
        var kilowatts = Read(0x02030100);
        Assert.InRange(voltage, 210, 230);
        Assert.InRange(voltage * current * powerFactor / 1000 / kilowatts, 0.995, 1.005);
        Assert.InRange(Read(0x02030000) / (3 * kilowatts), 0.999, 1.001);
    }

    [Fact]
    public void Settlement_and_daily_frozen_energy_come_from_the_past_and_never_exceed_today()
    {
        var simulator = Simulator([Meter2007]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.Ok, master.Read(Address2007, 0x00010000, out var now));
        Assert.Equal(ReadStatus.Ok, master.Read(Address2007, 0x05060101, out var yesterdayMidnight));
        Assert.Equal(ReadStatus.Ok, master.Read(Address2007, 0x05060102, out var dayBefore));
        Assert.Equal(ReadStatus.Ok, master.Read(Address2007, 0x00010001, out var settlement));

        // 08:30 UTC is 16:30 in UTC+8: the latest freeze is 00:00 local today, i.e. 16:00 UTC yesterday.
        var model = simulator.Model(MeterSpec.Parse(Meter2007));
        Assert.Equal(model.Value(Quantity.ForwardActiveEnergy, new DateTime(2026, 11, 25, 16, 0, 0, DateTimeKind.Utc)), yesterdayMidnight);
        Assert.Equal(model.Value(Quantity.ForwardActiveEnergy, new DateTime(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc)), settlement);
        Assert.True(dayBefore.Mantissa < yesterdayMidnight.Mantissa && yesterdayMidnight.Mantissa < now.Mantissa);
        Assert.True(settlement.Mantissa < dayBefore.Mantissa);
    }

    [Fact]
    public void A_1997_meter_answers_its_own_identifiers_in_its_own_formats()
    {
        var simulator = Simulator([Meter1997]);
        var master = Master(simulator, out _);
        master.Version = Dlt645Version.V1997;

        Assert.Equal(ReadStatus.Ok, master.Read(Address1997, 0xB611, out var voltage));
        Assert.Equal(0, voltage.Scale);
        var exactVoltage = Model(simulator, Meter1997, Quantity.VoltageA);
        Assert.Equal(Math.Round(exactVoltage.Mantissa / 10.0, MidpointRounding.AwayFromZero), voltage.Mantissa);

        Assert.Equal(ReadStatus.Ok, master.Read(Address1997, 0x9010, out var energy));
        Assert.Equal(Model(simulator, Meter1997, Quantity.ForwardActiveEnergy), energy);

        Assert.Equal(ReadStatus.Ok, master.Read(Address1997, 0xB621, out var current));
        var exactCurrent = Model(simulator, Meter1997, Quantity.CurrentA).Mantissa / 1000.0;
        Assert.Equal(Math.Min(99.99, Math.Round(exactCurrent, 2, MidpointRounding.AwayFromZero)), current.Mantissa / 100.0, 2);

        // A 2007 request to the 1997 meter goes unanswered.
        master.Version = Dlt645Version.V2007;
        master.TimeoutMilliseconds = 50;
        Assert.Equal(ReadStatus.Timeout, master.Read(Address1997, 0x02010100, out _));
    }

    [Fact]
    public void Unknown_identifiers_get_the_no_requested_data_error_reply()
    {
        var simulator = Simulator([Meter2007, Meter1997]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.ErrorReply, master.ReadRaw(Address2007, 0x0400FFFF));
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, master.LastError);

        master.Version = Dlt645Version.V1997;
        Assert.Equal(ReadStatus.ErrorReply, master.ReadRaw(Address1997, 0x1234));
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, master.LastError);
    }

    [Fact]
    public void Clock_reads_local_time_with_the_meters_error_until_a_broadcast_sets_it()
    {
        var simulator = Simulator([Meter2007], clockErrors: true);
        var master = Master(simulator, out _);
        var error = simulator.Dlt645Meter(MeterSpec.Parse(Meter2007)).ClockError;
        Assert.InRange(Math.Abs(error.TotalSeconds), 0, 120);
        var localNow = _clock.UtcNow.AddHours(8);

        Assert.Equal(ReadStatus.Ok, master.ReadClock(Address2007, out var before));
        Assert.Equal(localNow + error, before);

        Assert.Equal(ReadStatus.Ok, master.BroadcastTime(localNow));
        Assert.Equal(ReadStatus.Ok, master.ReadClock(Address2007, out var after));
        Assert.Equal(localNow, after);
    }

    [Fact]
    public void Read_address_finds_the_one_meter_of_each_edition()
    {
        var simulator = Simulator([Meter2007, Meter1997, "modbus:1"]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.Ok, master.ReadAddress(out var found2007));
        Assert.Equal(Address2007, found2007);

        master.Version = Dlt645Version.V1997;
        Assert.Equal(ReadStatus.Ok, master.ReadAddress(out var found1997));
        Assert.Equal(Address1997, found1997);
    }

    [Fact]
    public void Several_meters_answering_one_wildcard_request_collide()
    {
        var simulator = Simulator([Meter2007, "dlt645:000000000042"]);
        var master = Master(simulator, out _);
        Assert.Equal(ReadStatus.BadChecksum, master.ReadAddress(out _));

        // Addressed one by one they answer, and an abbreviated address (AA bytes) reaches only the matching meter.
        Assert.Equal(ReadStatus.Ok, master.Read(Dlt645Address.Parse("000000000042"), 0x02010100, out _));
        var request = new byte[64];
        var length = Dlt645FrameEncoder.EncodeReadRequest(request, 0, 4, Dlt645Version.V2007, Dlt645Address.Parse("AAAAAAAAAA12"), 0x04000401);
        var reply = Assert.Single(simulator.OpenSession().Receive(request.AsSpan(0, length)));
        var parser = new Dlt645FrameParser();
        Assert.Equal(1, reply.Bytes.Count(parser.Feed));
        Assert.Equal(Address2007, parser.Frame.Address);
    }

    [Fact]
    public void A_meter_not_served_stays_silent()
    {
        var simulator = Simulator([Meter2007]);
        var master = Master(simulator, out var link);
        master.TimeoutMilliseconds = 50;
        Assert.Equal(ReadStatus.Timeout, master.Read(Dlt645Address.Parse("999999999998"), 0x02010100, out _));
        Assert.Empty(link.Replies);
    }

    [Fact]
    public void Writes_are_refused_as_unauthorised()
    {
        var simulator = Simulator([Meter2007]);
        var frame = new byte[64];
        var length = Dlt645FrameEncoder.Encode(frame, 0, 4, Address2007, Dlt645Control.Write, [0x01, 0x01, 0x01, 0x04, 0x00], 0, 5);

        var reply = Assert.Single(simulator.OpenSession().Receive(frame.AsSpan(0, length)));

        var parser = new Dlt645FrameParser();
        Assert.Equal(1, reply.Bytes.Count(parser.Feed));
        Assert.True(parser.Frame.IsErrorReply);
        Assert.Equal(Dlt645ErrorFlags.Unauthorized, parser.Frame.ErrorFlags);
    }

    private MeterSimulator Simulator(string[] meters, bool clockErrors = false) => new(new SimulatorOptions
    {
        Meters = meters.Select(MeterSpec.Parse).ToList(),
        Clock = _clock,
        MeterClockErrors = clockErrors,
    });

    private Dlt645Master Master(MeterSimulator simulator, out SessionLink link)
    {
        link = new SessionLink(simulator.OpenSession());
        return new Dlt645Master(link, _clock) { TimeoutMilliseconds = 500 };
    }

    private FixedDecimal Model(MeterSimulator simulator, string meter, Quantity quantity) =>
        simulator.Model(MeterSpec.Parse(meter)).Value(quantity, _clock.UtcNow);

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
