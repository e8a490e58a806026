using System.Buffers;
using System.Threading.Channels;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Pushes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ingest;

/// <summary>
/// Ingest from an external broker (Mosquitto, EMQX): an MQTT 5 client with a persistent session (clean start off,
/// session expiry) and manual acknowledgement. The message handler only verifies and queues the write, then
/// returns; a per-connection loop awaits each write in arrival order and only then sends its PUBACK, so the
/// group commit sees many packets at once and the broker redelivers anything not yet on disk after a crash or
/// reconnect (a redelivered stored packet is an exact duplicate: acknowledged and dropped). Acknowledgements
/// never cross a reconnect. Optionally subscribes as $share/{group}/ so several receivers share the load.
/// </summary>
public sealed class ExternalBrokerIngest : IIngest
{
    private readonly ExternalBrokerOptions _options;
    private readonly MqttTopics _topics;
    private readonly IngestPipeline _pipeline;
    private readonly PlatformPushes? _pushes;
    private readonly ILogger _log;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private Connection? _connection;
    private long _connects;
    private Task? _loop;

    public ExternalBrokerIngest(ExternalBrokerOptions options, MqttTopics topics, IngestPipeline pipeline, ILogger log, PlatformPushes? pushes = null)
    {
        _options = options;
        _topics = topics;
        _pipeline = pipeline;
        _pushes = pushes;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (Volatile.Read(ref _connection) is { } connection)
            {
                connection.End();
            }

            if (e.ClientWasConnected)
            {
                _log.LogWarning("disconnected from broker {Host}:{Port}: {Reason}", _options.Host, _options.Port, e.ReasonString ?? e.Reason.ToString());
            }

            return Task.CompletedTask;
        };
    }

    public event Action<string>? GatewayReady;

    public bool IsRunning => _client.IsConnected;

    /// <summary>Unknown through a broker: gateways connect to it, not to us.</summary>
    public int ConnectedGateways => 0;

    public long BrokerConnects => Interlocked.Read(ref _connects);

    /// <summary>
    /// The client id on the broker. In a shared-subscription group every receiver needs its own (one id, two
    /// receivers: each connection takes the other's over), so the configured instance is appended: ClientId.InstanceId.
    /// </summary>
    public static string EffectiveClientId(ExternalBrokerOptions options) =>
        options.SharedGroup is null || options.InstanceId is null ? options.ClientId : $"{options.ClientId}.{options.InstanceId}";

    /// <summary>The broker holds commands for a gateway's persistent session, so any gateway can take one while we are connected.</summary>
    public bool IsReady(string gatewayId) => _client.IsConnected;

    /// <summary>Tries the first connection at once (logging a failure), then keeps reconnecting in the background.</summary>
    public async Task StartAsync()
    {
        await TryConnectAsync(_stop.Token);
        _loop = Task.Run(() => KeepConnectedAsync(_stop.Token));
    }

    public async Task<bool> DeliverAsync(string gatewayId, string topic, byte[] packet, CancellationToken cancellation)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(packet)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(false)
                .Build();
            return (await _client.PublishAsync(message, cancellation)).IsSuccess;
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            return false;
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_client.IsConnected)
        {
            try
            {
                // A clean disconnect keeps the session: what was not acknowledged comes back next time.
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(_options.SessionExpirySeconds).Build());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone.
            }
        }

        if (Volatile.Read(ref _connection) is { } connection)
        {
            connection.End();
            await connection.AckLoop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task KeepConnectedAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReconnectDelayMs, stop);
                if (!_client.IsConnected)
                {
                    await TryConnectAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                // Whatever the client throws, this loop is the only way back to the broker: it must not end here.
                _log.LogError(failure, "reconnecting to broker {Host}:{Port} failed unexpectedly; trying again", _options.Host, _options.Port);
            }
        }
    }

    private async Task TryConnectAsync(CancellationToken stop)
    {
        // Messages of the persistent session may arrive right after CONNACK: the connection must exist before.
        var connection = new Connection(Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));
        var previous = Interlocked.Exchange(ref _connection, connection);
        previous?.End();
        connection.AckLoop = Task.Run(() => AcknowledgeInOrderAsync(connection));
        try
        {
            var result = await _client.ConnectAsync(ClientOptions(), stop);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _log.LogWarning("broker {Host}:{Port} refused the connection: {Code}", _options.Host, _options.Port, result.ResultCode);
                connection.End();
                return;
            }

            await SubscribeAsync(stop);
            Interlocked.Increment(ref _connects);
            _log.LogInformation("connected to broker {Host}:{Port} as {ClientId} (session present: {Present})",
                _options.Host, _options.Port, EffectiveClientId(_options), result.IsSessionPresent);
            GatewayReady?.Invoke("*");
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            if (!stop.IsCancellationRequested)
            {
                _log.LogWarning("cannot connect to broker {Host}:{Port}: {Reason}", _options.Host, _options.Port, failure.Message);
            }

            connection.End();
        }
    }

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(EffectiveClientId(_options))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(_options.SessionExpirySeconds)
            .WithReceiveMaximum(_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.Username is not null)
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            var caBundle = _options.CaFile is { } caFile ? EdgeMeter.Common.Crypto.CertificateFiles.LoadBundle(caFile) : null;
            builder.WithTlsOptions(tls => tls.UseTls().WithAllowUntrustedCertificates(_options.AllowUntrustedCertificates)
                .WithIgnoreCertificateChainErrors(_options.AllowUntrustedCertificates)
                .WithCertificateValidationHandler(context => _options.AllowUntrustedCertificates
                    || EdgeMeter.Common.Crypto.CertificateTrust.IsTrusted(context.Certificate as System.Security.Cryptography.X509Certificates.X509Certificate2 ?? (context.Certificate is null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2(context.Certificate)),
                        context.Chain, context.SslPolicyErrors, caBundle, trustSystemStore: true)));
        }

        var options = builder.Build();
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = SocketBufferBytes;
        return options;
    }

    /// <summary>
    /// The socket buffers of the broker connection. MQTTnet sets SO_RCVBUF to its 8 KB default, which on Linux turns off
    /// the kernel's receive-window tuning: a backlog then arrives a few KB per delayed acknowledgement, tens of packets a
    /// second (issue 20, part 5). Linux caps what is asked at net.core.rmem_max.
    /// </summary>
    public const int SocketBufferBytes = 1024 * 1024;

    private async Task SubscribeAsync(CancellationToken stop)
    {
        var share = _options.SharedGroup is { } group ? $"$share/{group}/" : "";
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var kind in new[] { PacketKind.Up, PacketKind.Status, PacketKind.Reply })
        {
            subscribe.WithTopicFilter(share + _topics.AllGateways(kind), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (_pushes is not null)
        {
            subscribe.WithTopicFilter(share + PlatformPushTopic.AllAccounts(_topics.Prefix), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var result = await _client.SubscribeAsync(subscribe.Build(), stop);
        foreach (var item in result.Items.Where(item => item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1))
        {
            _log.LogError("broker refused subscription {Filter}: {Code}", item.TopicFilter.Topic, item.ResultCode);
        }
    }

    // Runs one at a time (MQTTnet): verify and queue the write, keep the arguments for the acknowledgement.
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var connection = Volatile.Read(ref _connection);
        // The broker's ACL lets only the account publish on its push topic; the signature is checked against that account's key.
        var stored = _pushes is not null && PlatformPushTopic.TryParse(_topics.Prefix, e.ApplicationMessage.Topic, out var account)
            ? TakePushAsync(account, e.ApplicationMessage.Payload.ToArray())
            : _pipeline.IngestAsync(null, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
        if (connection is null || !connection.Pending.Writer.TryWrite(new Pending(e, stored)))
        {
            // The connection is already gone: the broker will send the message again.
            _ = stored.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    // A push is acknowledged once handled, as a packet is once stored; a refused one is in the audit log.
    private async Task<IngestResult> TakePushAsync(string account, byte[] message)
    {
        var outcome = await _pushes!.ReceiveAsync(account, "mqtt", System.Text.Encoding.UTF8.GetString(message));
        return new IngestResult(IngestDisposition.Duplicate, "", outcome.Detail, 0, 0);
    }

    private async Task AcknowledgeInOrderAsync(Connection connection)
    {
        await foreach (var pending in connection.Pending.Reader.ReadAllAsync())
        {
            try
            {
                await pending.Stored;
            }
            catch (Exception failure)
            {
                // Not on disk: no acknowledgement. Reconnecting makes the broker send this and everything after again.
                _log.LogError("could not store a packet from the broker: {Reason}; reconnecting so that it is redelivered", failure.Message);
                connection.End();
                await DisconnectQuietlyAsync();
                return;
            }

            if (connection.Ended)
            {
                return;
            }

            try
            {
                await pending.Message.AcknowledgeAsync(CancellationToken.None);
            }
            catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                connection.End();
                return;
            }
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build());
        }
        catch (Exception failure) when (failure is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            // Already disconnected.
        }
    }

    private sealed record Pending(MqttApplicationMessageReceivedEventArgs Message, Task<IngestResult> Stored);

    /// <summary>One broker connection: its pending acknowledgements, in arrival order.</summary>
    private sealed class Connection(Channel<Pending> pending)
    {
        private int _ended;

        public Channel<Pending> Pending { get; } = pending;

        public Task AckLoop { get; set; } = Task.CompletedTask;

        public bool Ended => Volatile.Read(ref _ended) == 1;

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Pending.Writer.TryComplete();
            }
        }
    }
}
