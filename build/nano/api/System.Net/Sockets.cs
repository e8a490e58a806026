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
        Stream = 1,
        Dgram = 2,
    }

    public enum ProtocolType
    {
        Tcp = 6,
        Udp = 17,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
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

        public int Available => throw null!;

        public int SendTimeout
        {
            get => throw null!;
            set => throw null!;
        }

        public void Connect(EndPoint remoteEP) => throw null!;

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null!;

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null!;

        public bool Poll(int microSeconds, SelectMode mode) => throw null!;

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP) => throw null!;

        public int ReceiveFrom(byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP) => throw null!;

        public void Close() => throw null!;

        void IDisposable.Dispose() => throw null!;
    }
}
