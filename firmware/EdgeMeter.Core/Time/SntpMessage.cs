namespace EdgeMeter.Core.Time;

/// <summary>
/// The 48-byte SNTP v4 message (RFC 4330/5905): a client request carrying a nonce in its transmit timestamp, and the
/// server's reply checked the way RFC 4330 section 5 asks: server mode, a stratum of 1-15 (0 is a "kiss-o'-death"),
/// a synchronized leap indicator, our nonce echoed as the originate timestamp (so a stray or forged datagram is not
/// taken), and non-zero receive and transmit times. Times are Unix milliseconds; NTP era 1 (from 2036) is handled.
/// </summary>
public static class SntpMessage
{
    public const int Length = 48;

    private const long UnixEpochSeconds = 2208988800L; // 1970-01-01 in NTP seconds since 1900
    private const long EraSeconds = 4294967296L;

    /// <summary>Writes a version 4, client mode request whose transmit timestamp is <paramref name="nonce"/>.</summary>
    public static void WriteRequest(byte[] request, long nonce)
    {
        for (var i = 0; i < Length; i++)
        {
            request[i] = 0;
        }

        request[0] = (4 << 3) | 3; // LI 0, VN 4, mode 3 (client)
        WriteUInt64(request, 40, nonce);
    }

    /// <summary>
    /// Checks a reply to <paramref name="request"/>; gives the server's receive and transmit times. False with why.
    /// </summary>
    public static bool TryRead(byte[] reply, int count, byte[] request, out long receivedUnixMs, out long transmittedUnixMs, out string error)
    {
        receivedUnixMs = 0;
        transmittedUnixMs = 0;
        error = "";
        if (count < Length)
        {
            error = "a reply of " + count + " bytes (SNTP needs 48)";
            return false;
        }

        var leap = reply[0] >> 6;
        var mode = reply[0] & 7;
        var stratum = reply[1];
        if (mode != 4)
        {
            error = "not a server reply (mode " + mode + ")";
            return false;
        }

        if (stratum == 0 || stratum > 15)
        {
            error = stratum == 0 ? "the server refused (kiss-o'-death)" : "stratum " + stratum + " is unsynchronized";
            return false;
        }

        if (leap == 3)
        {
            error = "the server's clock is not synchronized";
            return false;
        }

        for (var i = 0; i < 8; i++)
        {
            if (reply[24 + i] != request[40 + i])
            {
                error = "the reply does not answer our request (originate timestamp differs)";
                return false;
            }
        }

        receivedUnixMs = UnixMilliseconds(reply, 32);
        transmittedUnixMs = UnixMilliseconds(reply, 40);
        if (receivedUnixMs == 0 || transmittedUnixMs == 0)
        {
            error = "the reply carries no time";
            return false;
        }

        return true;
    }

    /// <summary>An NTP timestamp (seconds since 1900, 32-bit fraction) as Unix milliseconds; 0 for an empty one.</summary>
    public static long UnixMilliseconds(byte[] data, int offset)
    {
        long seconds = ReadUInt32(data, offset);
        long fraction = ReadUInt32(data, offset + 4);
        if (seconds == 0 && fraction == 0)
        {
            return 0;
        }

        // RFC 4330 section 3: with the top bit clear the time is in era 1, from 2036-02-07.
        if ((seconds & 0x80000000L) == 0)
        {
            seconds += EraSeconds;
        }

        return ((seconds - UnixEpochSeconds) * 1000) + (((fraction * 1000) + 0x80000000L) >> 32); // to the nearest millisecond
    }

    /// <summary>Writes Unix milliseconds as an NTP timestamp (for tests and simulated servers).</summary>
    public static void WriteUnixMilliseconds(byte[] data, int offset, long unixMilliseconds)
    {
        var seconds = (unixMilliseconds / 1000) + UnixEpochSeconds;
        var fraction = ((unixMilliseconds % 1000) << 32) / 1000;
        WriteUInt64(data, offset, ((seconds % EraSeconds) << 32) | fraction);
    }

    private static long ReadUInt32(byte[] data, int offset) =>
        ((long)data[offset] << 24) | ((long)data[offset + 1] << 16) | ((long)data[offset + 2] << 8) | data[offset + 3];

    private static void WriteUInt64(byte[] data, int offset, long value)
    {
        for (var i = 7; i >= 0; i--)
        {
            data[offset + i] = (byte)value;
            value >>= 8;
        }
    }
}
