using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt;

public enum MqttProtocolVersion
{
    Version_3_1 = 3,
    Version_3_1_1 = 4,
    Version_5 = 5,
}

public class MqttSettings
{
    private MqttSettings() => throw null!;

    public static MqttSettings Instance => throw null!;

    public int InflightQueueSize
    {
        get => throw null!;
        set => throw null!;
    }
}

public class MqttClient : IMqttClient, IDisposable
{
    public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) => throw null!;

    public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived
    {
        add => throw null!;
        remove => throw null!;
    }

    public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished
    {
        add => throw null!;
        remove => throw null!;
    }

    public event IMqttClient.MqttMsgSubscribedEventHandler MqttMsgSubscribed
    {
        add => throw null!;
        remove => throw null!;
    }

    public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed
    {
        add => throw null!;
        remove => throw null!;
    }

    public bool IsConnected => throw null!;

    public MqttProtocolVersion ProtocolVersion
    {
        get => throw null!;
        set => throw null!;
    }

    public MqttSettings Settings => throw null!;

    public MqttReasonCode Connect(
        string clientId,
        string username,
        string password,
        bool willRetain,
        MqttQoSLevel willQosLevel,
        bool willFlag,
        string willTopic,
        string willMessage,
        bool cleanSession,
        ushort keepAlivePeriod) => throw null!;

    public void Disconnect() => throw null!;

    public void Close() => throw null!;

    public void Dispose() => throw null!;

    public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) => throw null!;

    public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) => throw null!;
}
