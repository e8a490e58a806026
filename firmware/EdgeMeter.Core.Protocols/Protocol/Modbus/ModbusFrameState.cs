namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>Where a <see cref="ModbusFrameReader"/> stands with the bytes it has been given.</summary>
public enum ModbusFrameState
{
    /// <summary>More bytes are needed; <see cref="ModbusFrameReader.Missing"/> says how many to read next.</summary>
    Incomplete,

    /// <summary>A whole frame with a correct CRC is in the buffer.</summary>
    Complete,

    /// <summary>A whole frame arrived but its CRC is wrong.</summary>
    BadChecksum,

    /// <summary>The header announces no length this reader knows (unknown function, impossible byte count).</summary>
    Unframeable,
}
