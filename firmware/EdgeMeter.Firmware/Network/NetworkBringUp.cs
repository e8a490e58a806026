using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace EdgeMeter.Firmware.Network;

/// <summary>
/// Brings up Wi-Fi or Ethernet and waits, with a timeout, for an IPv4 address. SNTP starts by itself once an address
/// arrives (nanoCLR's ESP32 network layer), so wall time follows some seconds later.
/// </summary>
/// <remarks>
/// Ethernet needs a target whose firmware has the MAC and PHY configured (nf-boards.md: ESP32_WT32_ETH01,
/// ESP32_OLIMEX, ESP32_ETHERNET_KIT_1.2); the interface then exists and DHCP or the static address stored with
/// `nanoff --networkdeployment` applies. Wi-Fi credentials come from the configuration, or, when it names none, from
/// what nanoff stored. Unlike desktop .NET there is no async API: every call here blocks its thread.
/// </remarks>
public static class NetworkBringUp
{
    /// <summary>
    /// Joins <paramref name="ssid"/> with DHCP, or, when <paramref name="ssid"/> is empty, the network already stored
    /// on the device; automatic reconnection stays on. Returns null once an address is there, else why not.
    /// </summary>
    public static string? ConnectWifi(string? ssid, string? password, int timeoutMilliseconds)
    {
        var cancel = new CancellationTokenSource(timeoutMilliseconds);
        bool connected;
        if (ssid == null || ssid.Length == 0 || IsStored(ssid, password))
        {
            // Connecting with new credentials writes them to the configuration flash block: only do it when they changed.
            connected = WifiNetworkHelper.Reconnect(false, 0, cancel.Token);
        }
        else
        {
            connected = WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, false, 0, cancel.Token);
        }

        return connected ? null : Describe("Wi-Fi", WifiNetworkHelper.Status, WifiNetworkHelper.HelperException);
    }

    /// <summary>Waits for the Ethernet interface to get its address. Returns null once it has one, else why not.</summary>
    public static string? ConnectEthernet(int timeoutMilliseconds)
    {
        if (FindInterface(NetworkInterfaceType.Ethernet) == null)
        {
            return "this firmware has no Ethernet interface (flash an Ethernet target, see nf-boards.md)";
        }

        var cancel = new CancellationTokenSource(timeoutMilliseconds);
        var connected = NetworkHelper.SetupAndConnectNetwork(cancel.Token, false);
        return connected ? null : Describe("Ethernet", NetworkHelper.Status, NetworkHelper.HelperException);
    }

    /// <summary>The first interface's IPv4 address, or "" while none has one.</summary>
    public static string CurrentAddress()
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces();
        for (var i = 0; i < interfaces.Length; i++)
        {
            var address = interfaces[i].IPv4Address;
            if (address != null && address.Length > 0 && address != "0.0.0.0")
            {
                return address;
            }
        }

        return "";
    }

    private static bool IsStored(string ssid, string? password)
    {
        var stored = Wireless80211Configuration.GetAllWireless80211Configurations();
        return stored.Length > 0 && stored[0].Ssid == ssid && stored[0].Password == (password ?? "");
    }

    private static NetworkInterface? FindInterface(NetworkInterfaceType type)
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces();
        for (var i = 0; i < interfaces.Length; i++)
        {
            if (interfaces[i].NetworkInterfaceType == type)
            {
                return interfaces[i];
            }
        }

        return null;
    }

    private static string Describe(string medium, NetworkHelperStatus status, Exception? failure)
    {
        switch (status)
        {
            case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                return medium + ": no IP address before the timeout";
            case NetworkHelperStatus.FailedNoNetworkInterface:
                return medium + ": no network interface";
            case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                return medium + ": could not join the network";
            case NetworkHelperStatus.ExceptionOccurred:
                return medium + ": " + (failure == null ? "error" : failure.Message);
            default:
                return medium + ": not connected (status " + ((int)status).ToString() + ")";
        }
    }
}
