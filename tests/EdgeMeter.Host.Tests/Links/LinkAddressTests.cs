using System.IO.Ports;
using EdgeMeter.Pc.Links;

namespace EdgeMeter.Host.Tests.Links;

public class LinkAddressTests
{
    [Fact]
    public void Serial_defaults_are_dlt645_line_settings()
    {
        var link = LinkAddress.Parse("serial:///dev/ttyUSB0");
        Assert.Equal(LinkKind.Serial, link.Kind);
        Assert.Equal("/dev/ttyUSB0", link.Target);
        Assert.Equal(2400, link.Baud);
        Assert.Equal(Parity.Even, link.Parity);
        Assert.Equal(11, link.BitsPerCharacter);
    }

    [Fact]
    public void Serial_settings_are_read_from_the_query()
    {
        var link = LinkAddress.Parse("serial:///dev/ttyUSB1?baud=9600&parity=none&data=8&stop=2");
        Assert.Equal(9600, link.Baud);
        Assert.Equal(Parity.None, link.Parity);
        Assert.Equal(StopBits.Two, link.StopBits);
        Assert.Equal(11, link.BitsPerCharacter);
        Assert.Equal(link.ToString(), LinkAddress.Parse(link.ToString()).ToString());
    }

    [Fact]
    public void Tcp_link_has_host_and_port()
    {
        var link = LinkAddress.Parse("tcp://127.0.0.1:4001");
        Assert.Equal(LinkKind.Tcp, link.Kind);
        Assert.Equal("127.0.0.1", link.Target);
        Assert.Equal(4001, link.Port);
        Assert.Equal("tcp://127.0.0.1:4001", link.ToString());
    }

    [Theory]
    [InlineData("modbus-tcp://10.0.5.20:1502", "10.0.5.20", 1502, "modbus-tcp://10.0.5.20:1502")]
    [InlineData("modbus-tcp://plc.plant.local", "plc.plant.local", 502, "modbus-tcp://plc.plant.local:502")]
    public void Modbus_tcp_link_has_host_and_port_502_by_default(string text, string host, int port, string canonical)
    {
        var link = LinkAddress.Parse(text);
        Assert.Equal(LinkKind.ModbusTcp, link.Kind);
        Assert.Equal(host, link.Target);
        Assert.Equal(port, link.Port);
        Assert.Equal(canonical, link.ToString());
        Assert.Equal(canonical, LinkAddress.Parse(link.ToString()).ToString());
    }

    [Theory]
    [InlineData("modbus-tcp://10.0.5.20:502/x", "is not modbus-tcp://HOST[:PORT]")]
    [InlineData("/dev/ttyUSB0", "must start with")]
    [InlineData("serial://", "names no serial device")]
    [InlineData("serial:///dev/ttyS0?baud=fast", "baud=fast is not a whole number")]
    [InlineData("serial:///dev/ttyS0?baud=12", "outside 300..921600")]
    [InlineData("serial:///dev/ttyS0?parity=mark", "parity=mark must be none, even or odd")]
    [InlineData("serial:///dev/ttyS0?speed=9600", "unknown setting 'speed'")]
    [InlineData("tcp://127.0.0.1", "is not tcp://HOST:PORT")]
    [InlineData("tcp://127.0.0.1:4001/x", "is not tcp://HOST:PORT")]
    public void Bad_links_name_the_problem(string text, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => LinkAddress.Parse(text));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
