namespace EdgeMeter.Core.Time;

/// <summary>One UDP request and its answer (an SNTP query): a socket on the board, UdpClient on a PC.</summary>
public interface IDatagramLink
{
    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="request"/> to host:port and waits up to
    /// <paramref name="timeoutMilliseconds"/> for one datagram into <paramref name="reply"/>; returns its length, or
    /// -1 with <paramref name="error"/> (name not resolved, no answer, network down).
    /// </summary>
    int Exchange(string host, int port, byte[] request, int count, byte[] reply, int timeoutMilliseconds, out string error);
}
