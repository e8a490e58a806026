namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// The code in a Modbus exception reply (function | 0x80, code). Codes outside this list are kept as their number.
/// </summary>
public enum ModbusExceptionCode
{
    /// <summary>No exception: the last call got a normal reply, or no reply at all.</summary>
    None = 0x00,
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    GatewayPathUnavailable = 0x0A,
    GatewayTargetFailedToRespond = 0x0B,
}
