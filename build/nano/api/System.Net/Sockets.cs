using System;

namespace System.Net
{
    public static class Dns
    {
        public static IPHostEntry GetHostEntry(string hostNameOrAddress) => throw null!;
    }

    public class IPHostEntry
    {
        private IPHostEntry() => throw null!;

        public IPAddress[] AddressList => throw null!;
    }

    public class IPAddress
    {
        public static readonly IPAddress Any = null!;

        public IPAddress(byte[] address) => throw null!;
    }

    public abstract class EndPoint
    {
    }

    public class IPEndPoint : EndPoint
    {
        public IPEndPoint(IPAddress address, int port) => throw null!;
    }
}

namespace System.Net.Sockets
{
    public enum AddressFamily
    {
        InterNetwork = 2,
    }

    public enum SocketType
    {
        Dgram = 2,
    }

    public enum ProtocolType
    {
        Udp = 17,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0,
    }

    public class SocketException : Exception
    {
        private SocketException() => throw null!;
    }

    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType) => throw null!;

        public int ReceiveTimeout
        {
            get => throw null!;
            set => throw null!;
        }

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP) => throw null!;

        public int ReceiveFrom(byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP) => throw null!;

        public void Close() => throw null!;

        void IDisposable.Dispose() => throw null!;
    }
}
