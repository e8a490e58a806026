using System;
using System.Net;
using System.Net.Sockets;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Firmware.Network;

/// <summary>One UDP request and its answer over a nanoFramework socket (the board's SNTP query).</summary>
public sealed class SocketDatagramLink : IDatagramLink
{
    public int Exchange(string host, int port, byte[] request, int count, byte[] reply, int timeoutMilliseconds, out string error)
    {
        Socket? socket = null;
        try
        {
            var addresses = Dns.GetHostEntry(host).AddressList;
            if (addresses.Length == 0)
            {
                error = "the name does not resolve";
                return -1;
            }

            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.ReceiveTimeout = timeoutMilliseconds;
            socket.SendTo(request, 0, count, SocketFlags.None, new IPEndPoint(addresses[0], port));
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            error = "";
            return socket.ReceiveFrom(reply, 0, reply.Length, SocketFlags.None, ref from);
        }
        catch (SocketException)
        {
            error = "no answer within " + timeoutMilliseconds.ToString() + " ms (or the name does not resolve)";
            return -1;
        }
        catch (Exception failure)
        {
            error = failure.Message;
            return -1;
        }
        finally
        {
            if (socket != null)
            {
                socket.Close();
            }
        }
    }
}
