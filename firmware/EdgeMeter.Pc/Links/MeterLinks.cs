using EdgeMeter.Core.Links;

namespace EdgeMeter.Pc.Links;

/// <summary>Opens the link a <see cref="LinkAddress"/> names.</summary>
public static class MeterLinks
{
    public static IMeterLink Open(LinkAddress address) => address.Kind switch
    {
        LinkKind.Tcp => new TcpMeterLink(address.Target, address.Port, address.Baud, address.BitsPerCharacter),
        _ => new SerialMeterLink(address),
    };
}
