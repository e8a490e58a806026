using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Protocol.Dlt645;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

/// <summary>Every vector of the reference sheet, encoded and decoded byte for byte.</summary>
public class Dlt645VectorTests
{
    [Fact]
    public void Encodes_the_phase_A_voltage_read_request()
    {
        var frame = Build(b => Dlt645FrameEncoder.EncodeReadRequest(b, 0, 4, Dlt645Version.V2007, Address, 0x02010100));

        Assert.Equal(ReadPhaseAVoltage, ToHex(frame));
    }

    [Fact]
    public void Decodes_the_phase_A_voltage_read_request()
    {
        var parser = new Dlt645FrameParser();

        var frames = FeedAll(parser, Hex(ReadPhaseAVoltage));

        Assert.Single(frames);
        var frame = parser.Frame;
        Assert.Equal(Address, frame.Address);
        Assert.Equal(0x11, frame.Control);
        Assert.False(frame.IsReply);
        Assert.True(frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.Equal(0x02010100u, di);
        Assert.Equal(4, frame.DataLength);
    }

    [Fact]
    public void Encodes_the_220_1_volt_reply()
    {
        var frame = ReadReply(Address, 0x02010100, ValueBytes(0x02010100, "220.1"));

        Assert.Equal(PhaseAVoltageReply, ToHex(frame));
    }

    [Fact]
    public void Decodes_the_220_1_volt_reply()
    {
        var value = DecodeReadReply(PhaseAVoltageReply, 0x02010100);

        Assert.Equal(new FixedDecimal(2201, 1), value);
    }

    [Fact]
    public void Encodes_the_12345_67_kWh_reply()
    {
        var frame = ReadReply(Address, 0x00010000, ValueBytes(0x00010000, "12345.67"));

        Assert.Equal(ForwardEnergyReply, ToHex(frame));
    }

    [Fact]
    public void Decodes_the_12345_67_kWh_reply()
    {
        var value = DecodeReadReply(ForwardEnergyReply, 0x00010000);

        Assert.Equal(new FixedDecimal(1234567, 2), value);
    }

    [Fact]
    public void Encodes_the_wildcard_read_address_request()
    {
        var frame = Build(b => Dlt645FrameEncoder.EncodeReadAddressRequest(b, 0, 4, Dlt645Version.V2007));

        Assert.Equal(ReadAddressWildcard, ToHex(frame));
    }

    [Fact]
    public void Decodes_the_wildcard_read_address_request()
    {
        var parser = new Dlt645FrameParser();

        Assert.Single(FeedAll(parser, Hex(ReadAddressWildcard)));
        Assert.True(parser.Frame.Address.IsWildcard);
        Assert.Equal(Dlt645Control.ReadAddress, parser.Frame.Function);
        Assert.Equal(0, parser.Frame.DataLength);
    }

    [Fact]
    public void Encodes_the_no_requested_data_error_reply()
    {
        var frame = Build(b => Dlt645ReplyEncoder.EncodeErrorReply(
            b, 0, 4, Address, Dlt645Control.Read, Dlt645ErrorFlags.NoRequestedData));

        Assert.Equal(NoRequestedDataReply, ToHex(frame));
    }

    [Fact]
    public void Decodes_the_no_requested_data_error_reply()
    {
        var parser = new Dlt645FrameParser();

        Assert.Single(FeedAll(parser, Hex(NoRequestedDataReply)));
        Assert.True(parser.Frame.IsErrorReply);
        Assert.Equal(0xD1, parser.Frame.Control);
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, parser.Frame.ErrorFlags);
    }

    [Fact]
    public void Encodes_and_decodes_the_signed_example()
    {
        var bytes = new byte[3];
        Assert.True(Dlt645ValueCodec.TryEncode(new FixedDecimal(-12345, 4), 3, 4, true, bytes, 0));
        Assert.Equal("45 23 81", ToHex(bytes));

        Assert.True(Dlt645ValueCodec.TryDecode(bytes, 0, 3, 4, true, out var value));
        Assert.Equal(new FixedDecimal(-12345, 4), value);
    }

    [Fact]
    public void Writes_the_address_lowest_byte_first()
    {
        var bytes = new byte[6];
        Address.WriteTo(bytes, 0);

        Assert.Equal("12 90 78 56 34 12", ToHex(bytes));
    }

    [Fact]
    public void Encodes_the_1997_requests_seen_in_public_code()
    {
        var read = Build(b => Dlt645FrameEncoder.EncodeReadRequest(
            b, 0, 0, Dlt645Version.V1997, Dlt645Address.Wildcard, 0x9010));
        var readAddress = Build(b => Dlt645FrameEncoder.EncodeReadAddressRequest(b, 0, 0, Dlt645Version.V1997));

        Assert.Equal(Read9010Wildcard1997, ToHex(read));
        Assert.Equal(ReadAddress1997, ToHex(readAddress));
    }

    private static FixedDecimal DecodeReadReply(string hex, uint expectedDi)
    {
        var parser = new Dlt645FrameParser();
        Assert.Single(FeedAll(parser, Hex(hex)));
        var frame = parser.Frame;
        Assert.Equal(Address, frame.Address);
        Assert.Equal(0x91, frame.Control);
        Assert.True(frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.Equal(expectedDi, di);
        var item = Dlt645Catalogue.Find(di, Dlt645Version.V2007)!;
        Assert.True(Dlt645ValueCodec.TryDecode(item, frame.Data, 4, frame.DataLength - 4, out var value));
        return value;
    }
}
