using System;
using System.Threading;

namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None = 0,
        Started = 1,
        NetworkIsReady = 2,
        FailedNoNetworkInterface = 3,
        TokenExpiredWaitingIPAddress = 4,
        TokenExpiredWaitingDateTime = 5,
        ErrorConnetingToWiFiWhileScanning = 6,
        ExceptionOccurred = 7,
        Reconnecting = 8,
    }

    public static class NetworkHelper
    {
        public static NetworkHelperStatus Status => throw null!;

        public static Exception HelperException => throw null!;

        public static bool SetupAndConnectNetwork(CancellationToken token = default, bool requiresDateTime = false) => throw null!;
    }
}

namespace System.Net.NetworkInformation
{
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
        WirelessAP = 72,
    }

    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex) => throw null!;

        public static NetworkInterface[] GetAllNetworkInterfaces() => throw null!;

        public string IPv4Address => throw null!;

        public NetworkInterfaceType NetworkInterfaceType => throw null!;
    }

    public class Wireless80211Configuration
    {
        public Wireless80211Configuration(uint id) => throw null!;

        public static Wireless80211Configuration[] GetAllWireless80211Configurations() => throw null!;

        public string Password
        {
            get => throw null!;
            set => throw null!;
        }

        public string Ssid
        {
            get => throw null!;
            set => throw null!;
        }
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate() => throw null!;

        public X509Certificate(byte[] certificate) => throw null!;

        public X509Certificate(string certificate) => throw null!;
    }

    public class X509Certificate2 : X509Certificate
    {
        public X509Certificate2(string rawData, string key, string password) => throw null!;
    }
}
