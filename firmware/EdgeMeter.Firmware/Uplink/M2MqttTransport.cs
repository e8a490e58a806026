using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using EdgeMeter.Core.Uplink;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace EdgeMeter.Firmware.Uplink;

/// <summary>
/// The gateway's MQTT connection on the ESP32: nanoFramework.M2Mqtt behind the core's <see cref="IMqttTransport"/>.
/// MQTT 3.1.1, QoS 1, clean session off, retained QoS 1 last will, TLS 1.2 when configured.
/// </summary>
/// <remarks>
/// How M2Mqtt differs from MQTTnet on the PC, and what this class does about it:
/// <list type="bullet">
/// <item>The MqttClient constructor resolves the broker's name once and keeps the address. Every
/// <see cref="Connect"/> therefore closes the previous client and builds a new one, so DNS is asked again.</item>
/// <item>Publish only queues; the outcome arrives later as MqttMsgPublished (MessageId, IsPublished). Without a
/// PUBACK M2Mqtt retries 3 times 1 s apart, then reports IsPublished = false. Message ids are mapped back to this
/// transport's tokens.</item>
/// <item>Close() drops M2Mqtt's queues without reporting them. When the connection is lost or replaced, every
/// publish still awaiting its PUBACK is reported here as not acknowledged, so the caller keeps it in flash.</item>
/// <item>The inflight queue is unbounded by default (MqttSettings.InflightQueueSize, a process-wide setting): it is
/// set to <see cref="MqttEndpoint.MaxInflight"/>, and <see cref="Publish"/> returns -1 while that many are pending.</item>
/// <item>The will message is a string in M2Mqtt's API (sent UTF-8 encoded): the will payload must be UTF-8 text.</item>
/// <item>Events come on M2Mqtt's own dispatch thread; the listener is called from there.</item>
/// </list>
/// </remarks>
public sealed class M2MqttTransport : IMqttTransport
{
    private readonly MqttEndpoint _endpoint;
    private readonly object _sync = new object();
    private readonly PendingPublishes _pending;
    private readonly int[] _failed;
    private readonly AutoResetEvent _subscribed = new AutoResetEvent(false);
    private readonly X509Certificate? _caCertificate;
    private readonly X509Certificate? _clientCertificate;
    private MqttClient? _client;
    private IMqttTransportListener? _listener;
    private int _lastToken;
    private ushort _subscribeMessageId;
    private bool _subscribeGranted;

    public M2MqttTransport(MqttEndpoint endpoint)
    {
        _endpoint = endpoint;
        _pending = new PendingPublishes(endpoint.MaxInflight);
        _failed = new int[endpoint.MaxInflight];

        // Parsed once: PEM text must reach mbedTLS NUL-terminated, which the string constructors take care of.
        if (endpoint.UseTls && endpoint.CaCertificatePem != null)
        {
            _caCertificate = new X509Certificate(endpoint.CaCertificatePem);
        }

        if (endpoint.UseTls && endpoint.ClientCertificatePem != null)
        {
            // One PEM file holds both blocks; mbedTLS picks the certificate and the key out by their headers.
            _clientCertificate = new X509Certificate2(endpoint.ClientCertificatePem, endpoint.ClientCertificatePem, null);
        }
    }

    public bool IsConnected
    {
        get
        {
            var client = _client;
            return client != null && client.IsConnected;
        }
    }

    public void SetListener(IMqttTransportListener listener) => _listener = listener;

    public string? Connect(string willTopic, byte[] willPayload, string subscribeTopic)
    {
        Drop();
        MqttSettings.Instance.InflightQueueSize = _endpoint.MaxInflight;

        MqttClient client;
        try
        {
            client = new MqttClient(
                _endpoint.Host,
                _endpoint.Port,
                _endpoint.UseTls,
                _caCertificate,
                _clientCertificate,
                _endpoint.UseTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
        }
        catch (Exception failure)
        {
            return "cannot resolve " + _endpoint.Host + ": " + failure.Message;
        }

        client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
        client.MqttMsgPublished += OnPublished;
        client.MqttMsgPublishReceived += OnMessage;
        client.MqttMsgSubscribed += OnSubscribed;
        client.ConnectionClosed += OnClosed;

        MqttReasonCode code;
        try
        {
            code = client.Connect(
                _endpoint.ClientId,
                _endpoint.Username ?? _endpoint.ClientId,
                _endpoint.Password,
                true,
                MqttQoSLevel.AtLeastOnce,
                true,
                willTopic,
                Encoding.UTF8.GetString(willPayload, 0, willPayload.Length),
                false,
                (ushort)_endpoint.KeepAliveSeconds);
        }
        catch (Exception failure)
        {
            Release(client);
            return "cannot reach the broker at " + _endpoint.Host + ":" + _endpoint.Port.ToString() + ": " + failure.Message;
        }

        if (code != MqttReasonCode.Success)
        {
            Release(client);
            return "broker refused the connection: reason " + ((int)code).ToString();
        }

        lock (_sync)
        {
            _client = client;
            _subscribeGranted = false;
            _subscribed.Reset();
            _subscribeMessageId = client.Subscribe(new[] { subscribeTopic }, new[] { MqttQoSLevel.AtLeastOnce });
        }

        if (!_subscribed.WaitOne(_endpoint.SubscribeTimeoutMilliseconds, false) || !_subscribeGranted)
        {
            Drop();
            return "broker did not grant the subscription to " + subscribeTopic;
        }

        return null;
    }

    public void Disconnect() => Drop();

    public int Publish(string topic, byte[] payload, int count, bool retain)
    {
        var message = new byte[count];
        Array.Copy(payload, message, count);
        lock (_sync)
        {
            var client = _client;
            if (client == null || !client.IsConnected || _pending.IsFull)
            {
                return -1;
            }

            ushort messageId;
            try
            {
                messageId = client.Publish(topic, message, null, null, MqttQoSLevel.AtLeastOnce, retain);
            }
            catch (Exception)
            {
                // InflightQueueFull, or the client is shutting down.
                return -1;
            }

            _lastToken = _lastToken == int.MaxValue ? 1 : _lastToken + 1;
            _pending.Add(_lastToken, messageId);
            return _lastToken;
        }
    }

    /// <summary>Closes the current client (if any) and reports its unacknowledged publishes as failed.</summary>
    private void Drop()
    {
        MqttClient? client;
        lock (_sync)
        {
            client = _client;
            _client = null;
        }

        if (client == null)
        {
            return;
        }

        Release(client);
        FailPending();
    }

    private void Release(MqttClient client)
    {
        client.MqttMsgPublished -= OnPublished;
        client.MqttMsgPublishReceived -= OnMessage;
        client.MqttMsgSubscribed -= OnSubscribed;
        client.ConnectionClosed -= OnClosed;
        try
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
        catch (Exception)
        {
            // The socket is already gone; Close below releases the rest.
        }

        client.Close();
    }

    private void FailPending()
    {
        int n;
        lock (_sync)
        {
            n = _pending.Drain(_failed);
        }

        var listener = _listener;
        for (var i = 0; i < n && listener != null; i++)
        {
            listener.Published(_failed[i], false);
        }
    }

    private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
    {
        int token;
        lock (_sync)
        {
            if (sender != _client)
            {
                return;
            }

            token = _pending.Complete(e.MessageId);
        }

        if (token > 0)
        {
            _listener?.Published(token, e.IsPublished);
        }
    }

    private void OnMessage(object sender, MqttMsgPublishEventArgs e)
    {
        if (sender == _client)
        {
            _listener?.MessageArrived(e.Topic, e.Message);
        }
    }

    private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
    {
        lock (_sync)
        {
            if (sender != _client || e.MessageId != _subscribeMessageId)
            {
                return;
            }

            var granted = e.GrantedQoSLevels;
            _subscribeGranted = granted != null && granted.Length == 1 && granted[0] != MqttQoSLevel.GrantedFailure;
        }

        _subscribed.Set();
    }

    private void OnClosed(object sender, EventArgs e)
    {
        lock (_sync)
        {
            if (sender != _client)
            {
                return;
            }

            _client = null;
        }

        FailPending();
        _listener?.ConnectionLost("connection to the broker closed");
    }
}
