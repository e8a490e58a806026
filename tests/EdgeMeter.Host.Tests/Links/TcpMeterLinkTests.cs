using System.Net;
using System.Net.Sockets;
using EdgeMeter.Core.Links;
using EdgeMeter.Pc.Links;

namespace EdgeMeter.Host.Tests.Links;

public class TcpMeterLinkTests
{
    [Fact]
    public void Moves_bytes_both_ways_and_times_out_quietly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var link = new TcpMeterLink("127.0.0.1", port, 9600, 10);

        link.Write([1, 2, 3], 0, 3);
        using var server = listener.AcceptSocket();
        var received = new byte[3];
        Assert.Equal(3, server.Receive(received));
        Assert.Equal([1, 2, 3], received);

        var buffer = new byte[8];
        Assert.Equal(0, link.Read(buffer, 0, buffer.Length, 20));

        server.Send([9, 8]);
        var read = 0;
        for (var attempt = 0; attempt < 50 && read < 2; attempt++)
        {
            read += link.Read(buffer, read, buffer.Length - read, 100);
        }

        Assert.Equal(2, read);
        Assert.Equal(9, buffer[0]);
        Assert.Equal(8, buffer[1]);
    }

    [Fact]
    public void Unreachable_server_is_a_link_exception_naming_the_link()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var link = new TcpMeterLink("127.0.0.1", port, 9600, 10);
        var failure = Assert.Throws<LinkException>(() => link.Write([1], 0, 1));
        Assert.Contains($"tcp://127.0.0.1:{port}: cannot connect", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_connection_is_reported()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var link = new TcpMeterLink("127.0.0.1", port, 9600, 10);
        link.Write([1], 0, 1);
        listener.AcceptSocket().Dispose();

        var failure = Assert.Throws<LinkException>(() => link.Read(new byte[4], 0, 4, 2000));
        Assert.StartsWith($"tcp://127.0.0.1:{port}: ", failure.Message, StringComparison.Ordinal);
    }
}
