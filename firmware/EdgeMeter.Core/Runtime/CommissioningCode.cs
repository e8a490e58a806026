namespace EdgeMeter.Core.Runtime;

/// <summary>
/// What the run LED tells a technician on site, who has no console (nf-boards.md section 2): steady on when every
/// commissioning step works, otherwise the number of the first step that fails, blinked that many times and then a
/// pause. Steps in the order a technician works: the meters on the RS-485 buses, the network, the receiver's broker,
/// the clock. The same facts, in detail, are in the receiver's `gateways show`.
/// </summary>
public static class CommissioningCode
{
    public const int Working = 0;

    /// <summary>Meters are configured but none answers: wiring (A/B swapped, no termination), addresses, baud rate.</summary>
    public const int NoMeterAnswers = 1;

    /// <summary>Some meters answer, at least one has gone silent (offline after three failed polls).</summary>
    public const int SomeMetersSilent = 2;

    /// <summary>No IP address: cable or Wi-Fi, DHCP, VLAN.</summary>
    public const int NoNetwork = 3;

    /// <summary>An address but no broker session: host, port, firewall, TLS certificate, broker password.</summary>
    public const int NoBroker = 4;

    /// <summary>Everything runs but the clock has never been set (no NTP, no set-time yet): readings are flagged.</summary>
    public const int ClockNotSynchronized = 5;

    public const int BlinkMilliseconds = 500;
    public const int PauseMilliseconds = 2000;

    /// <summary>The first failing step, or <see cref="Working"/>.</summary>
    public static int Of(int metersConfigured, int metersOffline, bool networkUp, bool brokerConnected, bool clockSynchronized)
    {
        if (metersConfigured > 0 && metersOffline == metersConfigured)
        {
            return NoMeterAnswers;
        }

        if (metersOffline > 0)
        {
            return SomeMetersSilent;
        }

        if (!networkUp)
        {
            return NoNetwork;
        }

        if (!brokerConnected)
        {
            return NoBroker;
        }

        return clockSynchronized ? Working : ClockNotSynchronized;
    }

    /// <summary>Whether the LED is on at this moment of a code's pattern: N blinks of 200 ms in 500 ms, then a 2 s pause.</summary>
    public static bool IsLit(int code, long monotonicMilliseconds)
    {
        if (code <= Working)
        {
            return true;
        }

        var blinking = code * BlinkMilliseconds;
        var position = monotonicMilliseconds % (blinking + PauseMilliseconds);
        return position < blinking && position % BlinkMilliseconds < 200;
    }
}
