namespace EdgeMeter.Core.Protocol;

/// <summary>The outcome of one request to a meter. Meter-level failures are results, not exceptions.</summary>
public enum ReadStatus
{
    Ok = 0,

    /// <summary>No complete reply within the meter's timeout.</summary>
    Timeout,

    /// <summary>A reply arrived whose checksum (DL/T 645 CS, Modbus CRC-16) is wrong.</summary>
    BadChecksum,

    /// <summary>A reply arrived that is not a valid answer to the request (wrong address, function, length).</summary>
    Malformed,

    /// <summary>The meter answered with an error reply (DL/T 645 D1/C1) or a Modbus exception.</summary>
    ErrorReply,

    /// <summary>The requested identifier or register is not known to the catalogue or the point map.</summary>
    UnknownPoint,

    /// <summary>The link itself failed.</summary>
    LinkDown,
}
