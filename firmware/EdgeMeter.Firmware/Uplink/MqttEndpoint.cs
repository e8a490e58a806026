namespace EdgeMeter.Firmware.Uplink;

/// <summary>Where and as whom the gateway connects (the "mqtt" section of the configuration, certificates read from I:).</summary>
public sealed class MqttEndpoint
{
    public MqttEndpoint(string host, int port, string clientId)
    {
        Host = host;
        Port = port;
        ClientId = clientId;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The MQTT client id: the gateway id.</summary>
    public string ClientId { get; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM of the CA that signs the broker's certificate; null: the CA stored with nanoff --networkdeployment.</summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>PEM holding the client certificate and its private key, for mutual TLS; null: none (or the stored device certificate).</summary>
    public string? ClientCertificatePem { get; set; }

    public int KeepAliveSeconds { get; set; } = 60;

    /// <summary>Most QoS 1 publishes awaiting PUBACK at once (M2Mqtt's inflight queue is unbounded by default).</summary>
    public int MaxInflight { get; set; } = 8;

    /// <summary>How long Connect waits for the broker's SUBACK before it gives up on the connection.</summary>
    public int SubscribeTimeoutMilliseconds { get; set; } = 10000;
}
