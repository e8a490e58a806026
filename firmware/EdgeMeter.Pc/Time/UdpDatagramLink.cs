using System.Net.Sockets;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Pc.Time;

/// <summary>One UDP request and its answer with UdpClient: the PC's side of the board's SNTP socket.</summary>
public sealed class UdpDatagramLink : IDatagramLink
{
    public int Exchange(string host, int port, byte[] request, int count, byte[] reply, int timeoutMilliseconds, out string error)
    {
        try
        {
            using var udp = new UdpClient();
            udp.Connect(host, port);
            udp.Send(request, count);
            using var timeout = new CancellationTokenSource(timeoutMilliseconds);
            var answer = udp.ReceiveAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
            var length = Math.Min(answer.Buffer.Length, reply.Length);
            Array.Copy(answer.Buffer, reply, length);
            error = "";
            return length;
        }
        catch (OperationCanceledException)
        {
            error = $"no answer within {timeoutMilliseconds} ms";
        }
        catch (SocketException failure)
        {
            error = failure.Message;
        }

        return -1;
    }
}
