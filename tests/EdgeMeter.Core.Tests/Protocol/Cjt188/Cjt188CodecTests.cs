using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Values;
using static EdgeMeter.Core.Tests.Protocol.Cjt188.Cjt188Vectors;

namespace EdgeMeter.Core.Tests.Protocol.Cjt188;

/// <summary>The frame codec and the current-data layouts against published frames, byte for byte.</summary>
public class Cjt188CodecTests
{
    [Theory]
    [InlineData(Cjt188MeterType.ColdWater, "00002020120218", false, ReadWater)]
    [InlineData(Cjt188MeterType.ColdWater, "78330011223344", true, ReadWaterSwapped)]
    public void Read_requests_are_the_published_frames(byte type, string address, bool swapped, string expected)
    {
        Assert.True(Cjt188Address.TryParse(address, out var parsed));
        var buffer = new byte[Cjt188FrameEncoder.MaxRequestLength];

        var length = Cjt188FrameEncoder.EncodeRequest(buffer, type, parsed, Cjt188FrameEncoder.ReadDataFunction, Cjt188FrameEncoder.CurrentDataIdentifier, swapped, 0);

        Assert.Equal("FEFEFEFE" + expected.Replace(" ", string.Empty), Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void The_read_address_request_is_the_published_broadcast()
    {
        var buffer = new byte[Cjt188FrameEncoder.MaxRequestLength];

        var length = Cjt188FrameEncoder.EncodeRequest(buffer, Cjt188MeterType.Any, Cjt188Address.Broadcast, Cjt188FrameEncoder.ReadAddressFunction, Cjt188FrameEncoder.AddressIdentifier, false, 0);

        Assert.Equal("FEFEFEFE" + ReadAddress.Replace(" ", string.Empty), Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void A_water_meters_reply_decodes_to_its_flows_and_status()
    {
        var frame = Parse(ReadWaterReply);
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(frame.Data, frame.DataLength));

        Assert.False(data.IsHeat);
        Assert.Equal("00002020120218", frame.Address.ToString());
        Assert.Equal((Value("2.00"), "m3"), Field(data, Cjt188Field.Total));
        Assert.Equal((Value("2.00"), "m3"), Field(data, Cjt188Field.SettlementTotal));
        Assert.Equal(DateTime.MinValue, data.MeterTime); // the meter sent zeros
        Assert.Equal(0xFF00, data.Status);
        Assert.False(data.HasAlarm);
    }

    [Fact]
    public void A_heat_meters_reply_decodes_every_field()
    {
        var frame = Parse(ReadHeatReply);
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(frame.Data, frame.DataLength));

        Assert.True(data.IsHeat);
        Assert.Equal(0x25, frame.MeterType);
        Assert.Equal((Value("274.11"), "kWh"), Field(data, Cjt188Field.SettlementHeat));
        Assert.Equal((Value("54427.88"), "kWh"), Field(data, Cjt188Field.Heat));
        Assert.Equal((Value("0.00"), "kW"), Field(data, Cjt188Field.Power));
        Assert.Equal((Value("0.0000"), "m3/h"), Field(data, Cjt188Field.FlowRate));
        Assert.Equal((Value("7156.08"), "m3"), Field(data, Cjt188Field.Volume));
        Assert.Equal((Value("26.79"), "degC"), Field(data, Cjt188Field.SupplyTemperature));
        Assert.Equal((Value("26.64"), "degC"), Field(data, Cjt188Field.ReturnTemperature));
        Assert.Equal((Value("74766"), "h"), Field(data, Cjt188Field.WorkingHours));
        Assert.Equal(new DateTime(2025, 9, 3, 17, 52, 11), data.MeterTime);
        Assert.Equal(0x0500, data.Status); // ST 00 05: the first byte (the standard's bits) is clear
        Assert.False(data.HasAlarm);
    }

    [Theory]
    [InlineData("04 00", true)] // D2: battery low
    [InlineData("03 00", true)] // D0-D1 11: valve abnormal
    [InlineData("01 00", false)] // valve closed: a state, not a fault
    [InlineData("00 FF", false)] // the second byte is the manufacturer's
    public void The_status_word_raises_an_alarm_for_a_low_battery_or_an_abnormal_valve(string status, bool alarm)
    {
        var bytes = Bytes(ReadWaterReply);
        var st = Bytes(status);
        bytes[^4] = st[0];
        bytes[^3] = st[1];
        bytes[^2] = Cjt188FrameParser.Checksum(bytes, bytes.Length - 2);
        var parser = new Cjt188FrameParser();
        Assert.Equal(1, bytes.Count(parser.Feed));
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(parser.Frame.Data, parser.Frame.DataLength));
        Assert.Equal(alarm, data.HasAlarm);
    }

    [Fact]
    public void A_second_heat_meter_gives_its_temperatures_hours_and_clock()
    {
        var frame = Parse(HeatReplyZeros);
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(frame.Data, frame.DataLength));

        Assert.Equal((Value("23.02"), "degC"), Field(data, Cjt188Field.SupplyTemperature));
        Assert.Equal((Value("23.11"), "degC"), Field(data, Cjt188Field.ReturnTemperature));
        Assert.Equal((Value("5834"), "h"), Field(data, Cjt188Field.WorkingHours));
        Assert.Equal(new DateTime(2023, 9, 5, 12, 49, 9), data.MeterTime);
        Assert.Equal(0x0800, data.Status);
    }

    [Fact]
    public void A_wrong_checksum_is_counted_and_the_frame_is_not_taken()
    {
        var parser = new Cjt188FrameParser();
        var completed = Bytes(ReadWaterSwappedReplyBadChecksum).Count(parser.Feed);

        Assert.Equal(0, completed);
        Assert.Equal(1, parser.ChecksumErrors);

        // With the right checksum (13H) the same reply is 556677.00 m3 at 2015-05-11 22:01:31.
        var frame = Parse(ReadWaterSwappedReplyBadChecksum.Replace("84 08 16", "84 13 16", StringComparison.Ordinal));
        var data = new Cjt188CurrentData();
        Assert.True(data.TryDecode(frame.Data, frame.DataLength));
        Assert.Equal((Value("556677.00"), "m3"), Field(data, Cjt188Field.Total));
        Assert.Equal(new DateTime(2015, 5, 11, 22, 1, 31), data.MeterTime);
    }

    [Fact]
    public void Preamble_noise_and_a_false_start_before_the_frame_are_skipped()
    {
        var parser = new Cjt188FrameParser();
        var stream = Bytes("FE FE FE FE FE FE FE FE FE FE FE FE FE 00 68 99 16 " + ReadAddressReply);
        var completed = stream.Count(parser.Feed);

        Assert.Equal(1, completed);
        Assert.Equal("00002020120218", parser.Frame.Address.ToString());
        Assert.Equal(0x83, parser.Frame.Control);
        Assert.Equal(0x810A, parser.Frame.DataIdentifier);
    }

    [Theory]
    [InlineData("68 10 18 02 12 20 20 00 00 81 04 90 1F 00 00 00 16", "a length of neither layout")]
    [InlineData("68 10 18 02 12 20 20 00 00 81 16 90 1F 00 00 02 00 00 77 00 02 00 00 2C 00 00 00 00 00 00 00 00 FF 00 16", "unit code 77H")]
    public void A_reply_of_an_unknown_layout_is_refused(string hex, string why)
    {
        var bytes = Bytes(hex);
        bytes[^2] = Cjt188FrameParser.Checksum(bytes, bytes.Length - 2);
        var parser = new Cjt188FrameParser();
        Assert.Equal(1, bytes.Count(parser.Feed));

        Assert.False(new Cjt188CurrentData().TryDecode(parser.Frame.Data, parser.Frame.DataLength), why);
    }

    [Fact]
    public void Values_a_meter_does_not_have_are_absent_not_zero()
    {
        var bytes = Bytes(ReadWaterReply);
        bytes[19] = 0xFF; // settlement-day flow: FF FF FF FF
        bytes[20] = 0xFF;
        bytes[21] = 0xFF;
        bytes[22] = 0xFF;
        bytes[^2] = Cjt188FrameParser.Checksum(bytes, bytes.Length - 2);
        var parser = new Cjt188FrameParser();
        Assert.Equal(1, bytes.Count(parser.Feed));
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(parser.Frame.Data, parser.Frame.DataLength));
        Assert.True(data.TryGet(Cjt188Field.Total, out _, out _));
        Assert.False(data.TryGet(Cjt188Field.SettlementTotal, out _, out _));
    }

    [Fact]
    public void Units_counting_in_hundreds_scale_the_value()
    {
        var bytes = Bytes(ReadHeatReply);
        bytes[23] = 0x13; // current heat's unit: GJ x 100
        bytes[^2] = Cjt188FrameParser.Checksum(bytes, bytes.Length - 2);
        var parser = new Cjt188FrameParser();
        Assert.Equal(1, bytes.Count(parser.Feed));
        var data = new Cjt188CurrentData();

        Assert.True(data.TryDecode(parser.Frame.Data, parser.Frame.DataLength));
        Assert.Equal((Value("5442788.00"), "GJ"), Field(data, Cjt188Field.Heat));
    }

    private static Cjt188Frame Parse(string hex)
    {
        var parser = new Cjt188FrameParser();
        Assert.Equal(1, Bytes(hex).Count(parser.Feed));
        return parser.Frame;
    }

    private static (FixedDecimal, string) Field(Cjt188CurrentData data, Cjt188Field field)
    {
        Assert.True(data.TryGet(field, out var value, out var unit), field.ToString());
        return (value, unit);
    }

    private static FixedDecimal Value(string text)
    {
        Assert.True(FixedDecimal.TryParse(text, out var value));
        return value;
    }
}
