using System.Data.Common;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Store;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Relay;

/// <summary>A stored packet as the MQTT tier reads it.</summary>
public sealed record PacketRelayRow(long Id, string Kind, string Packet) : IRelayRow;

/// <summary>
/// The MQTT tier: republishes each gateway's original signed up and status packets, byte for byte, to a
/// platform's broker ({prefix}/{gateway}/{kind}, QoS 1, status retained), so the platform verifies the gateway's
/// own signature end to end. An up packet whose readings were all re-sends of stored ones is not republished.
/// </summary>
public sealed class MqttTier : TierRelay<PacketRelayRow>
{
    private readonly MqttPlatformOptions _mqtt;
    private readonly MqttTopics _topics;
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _connectGate = new(1, 1);

    public MqttTier(PlatformOptions options, Routing routing, PacketStore store, ReceiverMetrics metrics, TimeProvider time, ILogger log, Random random)
        : base(options.Name, routing.GatewaysOf(options.Name), store, options, metrics, time, log, random)
    {
        _mqtt = options.Mqtt!;
        _topics = new MqttTopics(_mqtt.TopicPrefix);
        _client = new MqttClientFactory().CreateMqttClient();
    }

    protected override string PendingSql =>
        "SELECT id, kind, packet FROM packets WHERE gw = @gw AND id > @after AND (kind = 'status' OR (kind = 'up' AND fresh_readings > 0)) ORDER BY id LIMIT @limit";

    protected override string RowByIdSql => "SELECT id, kind, packet FROM packets WHERE id = @id";

    protected override string LagSql =>
        "SELECT COUNT(*) FROM packets WHERE gw = @gw AND id > @after AND (kind = 'status' OR (kind = 'up' AND fresh_readings > 0))";

    protected override string OldestWaitingSql =>
        "SELECT received_at FROM packets WHERE gw = @gw AND id > @after AND (kind = 'status' OR (kind = 'up' AND fresh_readings > 0)) ORDER BY id LIMIT 1";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone.
            }
        }

        _client.Dispose();
    }

    protected override PacketRelayRow ReadRow(DbDataReader reader) => new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2));

    protected override async Task<BatchOutcome> SendAsync(string gateway, IReadOnlyList<PacketRelayRow> rows, CancellationToken cancellation)
    {
        if (await ConnectAsync(cancellation) is { } problem)
        {
            return new BatchOutcome(0, 0, [], 0, problem);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var kind = PacketNames.ParseKind(rows[i].Kind);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(_topics.Topic(gateway, kind))
                .WithPayload(System.Text.Encoding.ASCII.GetBytes(rows[i].Packet))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(kind == PacketKind.Status)
                .Build();
            string? failure;
            try
            {
                var result = await _client.PublishAsync(message, cancellation);
                failure = result.IsSuccess ? null : $"broker refused the packet: {result.ReasonCode} {result.ReasonString}";
            }
            catch (Exception error) when (error is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException || (error is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                failure = $"publish failed: {error.Message}";
            }

            if (failure is not null)
            {
                return new BatchOutcome(i, i, [], 0, failure);
            }
        }

        return new BatchOutcome(rows.Count, rows.Count, [], 0, null);
    }

    private async Task<string?> ConnectAsync(CancellationToken cancellation)
    {
        if (_client.IsConnected)
        {
            return null;
        }

        await _connectGate.WaitAsync(cancellation);
        try
        {
            if (_client.IsConnected)
            {
                return null;
            }

            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(_mqtt.Host, _mqtt.Port)
                .WithClientId(_mqtt.ClientId)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithCleanStart(true)
                .WithTimeout(TimeSpan.FromSeconds(10));
            if (_mqtt.Username is not null)
            {
                builder.WithCredentials(_mqtt.Username, _mqtt.Password);
            }

            if (_mqtt.UseTls)
            {
                builder.WithTlsOptions(tls => tls.UseTls().WithAllowUntrustedCertificates(_mqtt.AllowUntrustedCertificates)
                    .WithCertificateValidationHandler(context => _mqtt.AllowUntrustedCertificates || context.SslPolicyErrors == System.Net.Security.SslPolicyErrors.None));
            }

            var result = await _client.ConnectAsync(builder.Build(), cancellation);
            return result.ResultCode == MqttClientConnectResultCode.Success ? null : $"platform broker refused the connection: {result.ResultCode}";
        }
        catch (Exception error) when (error is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException || (error is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return $"cannot reach platform broker {_mqtt.Host}:{_mqtt.Port}: {error.Message}";
        }
        finally
        {
            _connectGate.Release();
        }
    }
}
