using EdgeMeter.Core.Links;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Pc.Links;

/// <summary>Opens the link a <see cref="LinkAddress"/> names.</summary>
public static class MeterLinks
{
    public static IMeterLink Open(LinkAddress address) => address.Kind switch
    {
        LinkKind.Tcp => new TcpMeterLink(address.Target, address.Port, address.Baud, address.BitsPerCharacter),
        LinkKind.ModbusTcp => new TcpMeterLink(address.Target, address.Port, 0, address.BitsPerCharacter, scheme: "modbus-tcp"),
        _ => new SerialMeterLink(address),
    };

    /// <summary>The Modbus master a link needs: MBAP framing on a Modbus TCP server, RTU frames on anything else.</summary>
    public static ModbusMaster ModbusMaster(LinkAddress address, IMeterLink link, IClock clock) => address.Kind == LinkKind.ModbusTcp
        ? new ModbusTcpMaster(link, clock)
        : new ModbusRtuMaster(link, clock);

    /// <summary>Throws <see cref="FormatException"/> when <paramref name="address"/> cannot carry DL/T 645.</summary>
    public static void RequireBus(LinkAddress address, string protocol)
    {
        if (address.Kind == LinkKind.ModbusTcp)
        {
            throw new FormatException($"{address} is a Modbus TCP server: it carries Modbus only, not {protocol} (a serial server is tcp://HOST:PORT)");
        }
    }
}
