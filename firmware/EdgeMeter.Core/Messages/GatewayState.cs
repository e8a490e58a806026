namespace EdgeMeter.Core.Messages;

public enum GatewayState
{
    Online = 0,

    /// <summary>Sent as the MQTT last will: the broker publishes it when the gateway disappears.</summary>
    Offline,
}
