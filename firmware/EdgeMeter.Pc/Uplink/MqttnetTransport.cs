using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Uplink;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMeter.Pc.Uplink;

/// <summary>The gateway's MQTT connection on a PC: MQTTnet behind the core's <see cref="IMqttTransport"/>.</summary>
public sealed class MqttnetTransport : IMqttTransport, IDisposable
{
    private readonly MqttTransportOptions _options;
    private readonly IMqttClient _client;
    private IMqttTransportListener? _listener;
    private int _nextToken;

    public MqttnetTransport(MqttTransportOptions options)
    {
        _options = options;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _listener?.MessageArrived(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                _listener?.ConnectionLost(e.Reason.ToString());
            }

            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    public void SetListener(IMqttTransportListener listener) => _listener = listener;

    public string? Connect(string willTopic, byte[] willPayload, string subscribeTopic)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_options.Username is not null)
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            var caBundle = _options.CaFile is { } caFile ? CertificateFiles.LoadBundle(caFile) : null;
            builder.WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(context =>
                CertificateTrust.IsTrusted(context.Certificate as X509Certificate2 ?? (context.Certificate is null ? null : new X509Certificate2(context.Certificate)),
                    context.Chain, context.SslPolicyErrors, caBundle, trustSystemStore: true)));
        }

        try
        {
            var result = _client.ConnectAsync(builder.Build()).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return $"broker refused the connection: {result.ResultCode}";
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(subscribeTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            _client.SubscribeAsync(subscribe).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return $"cannot reach the broker at {_options.Host}:{_options.Port}: {failure.Message}";
        }
    }

    public void Disconnect()
    {
        if (_client.IsConnected)
        {
            try
            {
                _client.DisconnectAsync().GetAwaiter().GetResult();
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone: nothing to release.
            }
        }
    }

    public int Publish(string topic, byte[] payload, int count, bool retain)
    {
        if (!_client.IsConnected)
        {
            return -1;
        }

        var token = Interlocked.Increment(ref _nextToken) & int.MaxValue;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.AsSpan(0, count).ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        _ = CompleteAsync(token, message);
        return token;
    }

    public void Dispose() => _client.Dispose();

    private async Task CompleteAsync(int token, MqttApplicationMessage message)
    {
        var acknowledged = false;
        try
        {
            var result = await _client.PublishAsync(message).ConfigureAwait(false);
            acknowledged = result.IsSuccess;
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            acknowledged = false;
        }

        _listener?.Published(token, acknowledged);
    }
}

/// <summary>Where and as whom the PC gateway connects.</summary>
/// <param name="CaFile">PEM bundle of the CA that issued the broker's certificate (mqtt.caFile), trusted besides the system store.</param>
public sealed record MqttTransportOptions(string Host, int Port, string ClientId, string? Username, string? Password, bool UseTls, int KeepAliveSeconds = 60, string? CaFile = null);
