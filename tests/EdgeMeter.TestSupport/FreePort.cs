using System.Net;
using System.Net.Sockets;

namespace EdgeMeter.TestSupport;

public static class FreePort
{
    /// <summary>An ephemeral loopback port that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
