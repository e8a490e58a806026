using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ingest.Guard;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Pushes;
using EdgeMeter.Receiver.Store;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Ingest;

/// <summary>
/// The default ingest: the receiver is the broker (MQTTnet.Server). Every client authenticates (gateways with
/// their own credential, read-only platform accounts); every publish and subscribe passes the topic ACL; every
/// packet a gateway publishes is verified and queued for the store when it arrives, and its PUBACK is held back
/// on its way out until the store has committed it: a PUBACK means the packet is on disk. MQTTnet reads a
/// client's packets one at a time, so holding the PUBACK rather than the publish lets a gateway's next packets
/// join the same group commit. Only stored packets reach subscribers, forwarded in order just before their PUBACK.
/// MQTTnet keeps sessions in memory; the latest status of each gateway is restored as a retained message from
/// the store at start.
/// </summary>
public sealed class EmbeddedBrokerIngest : IIngest
{
    private const string ReceiverClientId = "$receiver";

    private readonly EmbeddedBrokerOptions _options;
    private readonly MqttTopics _topics;
    private readonly BrokerCredentials _credentials;
    private readonly TopicAcl _acl;
    private readonly IngestPipeline _pipeline;
    private readonly PacketStore _store;
    private readonly ReceiverMetrics _metrics;
    private readonly ILogger _log;

    // Injected commands carry this dictionary as their session items: no network client can present it.
    private readonly Dictionary<object, object> _receiverItems = new() { ["edgemeter"] = "receiver" };
    private readonly ConcurrentDictionary<string, bool> _connected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MqttProtocolVersion> _protocols = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ready = new(StringComparer.Ordinal);

    // The publish a client's receive loop is handling (the publish interceptor is not told its packet identifier),
    // and the stores its PUBACKs wait for.
    private readonly ConcurrentDictionary<string, ushort> _receiving = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Client, ushort PacketId), HeldAcknowledgement> _held = new();
    private readonly PlatformPushes? _pushes;
    private readonly LoginThrottle _logins;
    private readonly SampledLog _loginLog;
    private readonly SemaphoreSlim _tarpit = new(100);
    private readonly FloodGuard _flood;
    private MqttServer? _server;

    public EmbeddedBrokerIngest(
        EmbeddedBrokerOptions options, int plainPort, MqttTopics topics, BrokerCredentials credentials, IngestPipeline pipeline,
        PacketStore store, ReceiverMetrics metrics, ILogger log, PlatformPushes? pushes = null, IReadOnlySet<string>? pushAccounts = null)
    {
        _options = options;
        PlainPort = plainPort;
        _topics = topics;
        _credentials = credentials;
        _acl = new TopicAcl(topics, pushAccounts);
        _pushes = pushes;
        _pipeline = pipeline;
        _store = store;
        _metrics = metrics;
        _log = log;
        _logins = new LoginThrottle(options.Limits, TimeProvider.System);
        _loginLog = new SampledLog(log, TimeSpan.FromMinutes(1));
        _flood = new FloodGuard(options.Limits.QuarantinedPerMinute, TimeSpan.FromSeconds(options.Limits.FloodCoolDownSeconds), TimeProvider.System);
    }

    /// <summary>Connections accepted whose CONNECT has not arrived yet.</summary>
    public PendingConnections Pending { get; private set; } = new(0, 0);

    /// <summary>Warning lines written about refused logins (each kind at once, then summed up per minute).</summary>
    public long LoginLogLines => _loginLog.Lines;

    public event Action<string>? GatewayReady;

    /// <summary>The plain listener's port (0 when only TLS is enabled).</summary>
    public int PlainPort { get; }

    public int? TlsPort => _options.Tls.Enabled ? _options.Tls.Port : null;

    public bool IsRunning => _server?.IsStarted == true;

    public int ConnectedGateways => _connected.Count;

    public long BrokerConnects => 0;

    public bool IsReady(string gatewayId) => _ready.ContainsKey(gatewayId) && _connected.ContainsKey(gatewayId);

    public async Task StartAsync()
    {
        var limits = _options.Limits;
        Pending = new PendingConnections(limits.MaxPendingConnections, limits.MaxPendingPerAddress);
        var adapter = new GuardedTcpServerAdapter(Endpoints(), limits, Pending, _log);
        var server = new MqttServerFactory().CreateMqttServer(BuildOptions(), [adapter]);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.ClientConnectedAsync += e =>
        {
            _protocols[e.ClientId] = e.ProtocolVersion;
            if (Identify(e.ClientId, e.UserName) is { Role: ClientRole.Gateway } who)
            {
                _connected[who.Name] = true;
                _log.LogInformation("{Gateway} connected from {Endpoint} (MQTT {Version})", who.Name, e.RemoteEndPoint, e.ProtocolVersion);
            }

            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            // A takeover ends the old connection after the new one is in place: the client is still there.
            if (e.DisconnectType == MqttClientDisconnectType.Takeover)
            {
                return Task.CompletedTask;
            }

            _protocols.TryRemove(e.ClientId, out _);
            ForgetHeld(e.ClientId);
            if (Identify(e.ClientId, e.UserName) is { Role: ClientRole.Gateway } who)
            {
                _connected.TryRemove(who.Name, out _);
                _ready.TryRemove(who.Name, out _);
                _log.LogInformation("{Gateway} disconnected ({Type})", who.Name, e.DisconnectType);
            }

            return Task.CompletedTask;
        };
        server.ClientSubscribedTopicAsync += e =>
        {
            if (Identify(e.ClientId, e.UserName) is { Role: ClientRole.Gateway } who && e.TopicFilter.Topic == _topics.Down(who.Name))
            {
                _ready[who.Name] = true;
                GatewayReady?.Invoke(who.Name);
            }

            return Task.CompletedTask;
        };
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingInboundPacketAsync += NoteReceivingAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingOutboundPacketAsync += AcknowledgeWhenStoredAsync;
        server.LoadingRetainedMessageAsync += LoadRetainedAsync;
        await server.StartAsync();
        _server = server;
        _log.LogInformation("embedded broker listening on {Address}: plain {Plain}, TLS {Tls}",
            _options.Address, _options.PlainEnabled ? PlainPort : "off", TlsPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off");
    }

    public async Task<bool> DeliverAsync(string gatewayId, string topic, byte[] packet, CancellationToken cancellation)
    {
        if (_server is not { IsStarted: true } server)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(packet)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .Build();
        await server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message) { SenderClientId = ReceiverClientId, CustomSessionItems = _receiverItems }, cancellation);
        return true;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    // The listeners are GuardedTcpServerAdapter's: MQTTnet's own endpoints stay off.
    private static MqttServerOptions BuildOptions() =>
        new MqttServerOptionsBuilder().WithPersistentSessions(true).WithoutDefaultEndpoint().Build();

    private List<GuardedEndpoint> Endpoints()
    {
        var address = IPAddress.Parse(_options.Address);
        var endpoints = new List<GuardedEndpoint>();
        if (_options.PlainEnabled)
        {
            endpoints.Add(new GuardedEndpoint(address, PlainPort, null));
        }

        if (_options.Tls.Enabled)
        {
            endpoints.Add(new GuardedEndpoint(address, _options.Tls.Port, X509CertificateLoader.LoadPkcs12FromFile(_options.Tls.CertificateFile!, _options.Tls.CertificatePassword)));
        }

        return endpoints;
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var address = PendingConnections.SourceOf(e.RemoteEndPoint).ToString();
        if (_flood.CoolingUntil(e.ClientId) is { } until)
        {
            _metrics.ConnectionRefused();
            e.ReasonCode = MqttConnectReasonCode.ConnectionRateExceeded;
            _loginLog.Note("broker: refused logins of clients disconnected for flooding, until their cool-down ends", e.ClientId, $"until {until:HH:mm:ss}Z");
            return;
        }

        var verdict = _logins.Before(e.ClientId, address);
        if (verdict == LoginVerdict.Refuse || (verdict == LoginVerdict.Slow && !_tarpit.Wait(0)))
        {
            _metrics.ConnectionRefused();
            e.ReasonCode = MqttConnectReasonCode.ConnectionRateExceeded;
            _loginLog.Note("broker: refused logins unchecked: too many wrong passwords from the address this minute", address);
            return;
        }

        try
        {
            if (verdict == LoginVerdict.Slow)
            {
                await Task.Delay(LoginThrottle.Tarpit);
            }

            if (_credentials.Authenticate(e.ClientId, e.UserName, e.Password, out var reason) is null)
            {
                _metrics.ConnectionRefused();
                _logins.Failed(e.ClientId, address);
                e.ReasonCode = reason.Contains("client id", StringComparison.Ordinal)
                    ? MqttConnectReasonCode.ClientIdentifierNotValid
                    : MqttConnectReasonCode.BadUserNameOrPassword;
                _loginLog.Note("broker: refused logins (credentials or client id)", $"{e.ClientId} from {address}", reason);
            }
        }
        finally
        {
            if (verdict == LoginVerdict.Slow)
            {
                _tarpit.Release();
            }
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var denied = Identify(e.ClientId, e.UserName) is { } who ? _acl.SubscribeDenied(who, filter) : "unknown client";
        if (denied is not null)
        {
            _metrics.AclDenied();
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            _log.LogWarning("refused subscription: {Reason}", denied);
        }

        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (ReferenceEquals(e.SessionItems, _receiverItems))
        {
            return;
        }

        var topic = e.ApplicationMessage.Topic;
        var message = e.ApplicationMessage.Payload.ToArray();
        var who = Identify(e.ClientId, e.UserName);
        var denied = who is { } identity ? _acl.PublishDenied(identity, topic) : "unknown client";
        if (denied is not null)
        {
            await RefuseAsync(e, topic, message, denied);
            return;
        }

        if (who!.Value.Role == ClientRole.Platform)
        {
            await TakePushAsync(e, who.Value.Name, message);
            return;
        }

        var forward = ForwardCopy(e.ApplicationMessage, topic);
        if (e.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce && _receiving.TryGetValue(e.ClientId, out var packetId))
        {
            // Forwarded (if stored) and acknowledged once committed: AcknowledgeWhenStoredAsync.
            e.ProcessPublish = false;
            _held[(e.ClientId, packetId)] = new HeldAcknowledgement(Ingest(e.ClientId, topic, message), forward);
            return;
        }

        // No PUBACK held (QoS 0, or a publish whose identifier was not noted): stored before the client's next packet is read.
        IngestResult result;
        try
        {
            result = await Ingest(e.ClientId, topic, message);
        }
        catch (Exception failure)
        {
            _log.LogError("could not store a packet from {Client}: {Reason}; closing its connection so that it resends", e.ClientId, failure.Message);
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
            return;
        }

        e.ProcessPublish = result.Forward;
        e.ApplicationMessage.Retain = forward.Retain;
        if (RefusalCode(result) is { } code)
        {
            e.Response.ReasonCode = code;
            e.Response.ReasonString = result.Error;
        }
    }

    // A platform's push: verified, stored and forwarded before the PUBACK; never passed on to subscribers.
    private async Task TakePushAsync(InterceptingPublishEventArgs e, string account, byte[] message)
    {
        e.ProcessPublish = false;
        var outcome = _pushes is null
            ? new PushOutcome(PushDisposition.Refused, "platform pushes are not configured")
            : await _pushes.ReceiveAsync(account, "mqtt", System.Text.Encoding.UTF8.GetString(message));
        if (outcome.Disposition == PushDisposition.Refused)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = outcome.Detail;
        }
    }

    private Task NoteReceivingAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtLeastOnce } publish)
        {
            _receiving[e.ClientId] = publish.PacketIdentifier;
        }

        return Task.CompletedTask;
    }

    // On the client's send loop, one packet at a time in order: a held PUBACK goes out after its packet's commit,
    // preceded by the packet itself to subscribers when it was stored.
    private async Task AcknowledgeWhenStoredAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not MqttPubAckPacket ack || !_held.TryRemove((e.ClientId, ack.PacketIdentifier), out var held))
        {
            return;
        }

        IngestResult result;
        try
        {
            result = await held.Stored;
        }
        catch (Exception failure)
        {
            // Not stored: no PUBACK. Closing the connection makes the gateway send the packet again.
            _log.LogError("could not store a packet from {Client}: {Reason}; closing its connection so that it resends", e.ClientId, failure.Message);
            e.ProcessPacket = false;
            _ = Task.Run(() => DisconnectAsync(e.ClientId));
            return;
        }

        if (result.Forward && _server is { } server)
        {
            await server.InjectApplicationMessage(
                new InjectedMqttApplicationMessage(held.Forward) { SenderClientId = e.ClientId, CustomSessionItems = _receiverItems }, e.CancellationToken);
        }

        if (RefusalCode(result) is { } code)
        {
            ack.ReasonCode = code;
            ack.ReasonString = result.Error;
        }
    }

    // MQTT 5 clients learn that a packet was quarantined; 3.1.1 has no reason codes.
    private static MqttPubAckReasonCode? RefusalCode(IngestResult result) =>
        result.Disposition != IngestDisposition.Quarantined ? null
        : result.Error is nameof(PacketError.UnknownKey) or nameof(PacketError.BadSignature) ? MqttPubAckReasonCode.NotAuthorized
        : MqttPubAckReasonCode.PayloadFormatInvalid;

    // Queues the store; a store already closed is a failed store (no PUBACK), not an exception in MQTTnet's loop.
    private async Task<IngestResult> Ingest(string client, string topic, byte[] message)
    {
        var result = await _pipeline.IngestAsync(client, topic, message);
        if (result.Disposition == IngestDisposition.Quarantined)
        {
            NoteQuarantined(client);
        }

        return result;
    }

    // A client whose messages keep landing in quarantine is cut off for a while (FloodGuard).
    private void NoteQuarantined(string client)
    {
        if (_flood.Quarantined(client))
        {
            _metrics.FloodDisconnect();
            _log.LogWarning("{Client} is flooding: over {Limit} messages quarantined in a minute; disconnected, its logins refused for {CoolDown} s",
                client, _options.Limits.QuarantinedPerMinute, _options.Limits.FloodCoolDownSeconds);
            _ = DisconnectAsync(client);
        }
    }

    // What subscribers get of a stored packet: the same bytes; only a status stays retained.
    private MqttApplicationMessage ForwardCopy(MqttApplicationMessage received, string topic) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(received.Payload)
            .WithQualityOfServiceLevel(received.QualityOfServiceLevel)
            .WithRetainFlag(received.Retain && _topics.TryParse(topic, out _, out var kind) && kind == PacketKind.Status)
            .Build();

    private async Task DisconnectAsync(string clientId)
    {
        try
        {
            if (_server is { } server)
            {
                await server.DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.ImplementationSpecificError });
            }
        }
        catch (Exception failure)
        {
            _log.LogWarning("could not close the connection of {Client}: {Reason}", clientId, failure.Message);
        }
    }

    // A connection gone: PUBACKs held for it will never be sent (the gateway sends those packets again). Only
    // entries already stored are dropped: one still pending may belong to the client's next connection.
    private void ForgetHeld(string clientId)
    {
        _receiving.TryRemove(clientId, out _);
        foreach (var (key, held) in _held)
        {
            if (key.Client == clientId && held.Stored.IsCompletedSuccessfully)
            {
                _held.TryRemove(KeyValuePair.Create(key, held));
            }
        }
    }

    private async Task RefuseAsync(InterceptingPublishEventArgs e, string topic, byte[] message, string reason)
    {
        _metrics.AclDenied();
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.Response.ReasonString = "not authorized";

        // MQTT 3.1.1 cannot say "not authorized" in a PUBACK: the connection is closed instead.
        if (!_protocols.TryGetValue(e.ClientId, out var version) || version != MqttProtocolVersion.V500)
        {
            e.CloseConnection = true;
        }

        try
        {
            await _pipeline.RefuseAsync(e.ClientId, topic, message, IngestResult.AclDenied, reason);
            NoteQuarantined(e.ClientId);
        }
        catch (Exception failure)
        {
            _log.LogError("could not record a refused publish from {Client}: {Reason}", e.ClientId, failure.Message);
        }
    }

    private sealed record HeldAcknowledgement(Task<IngestResult> Stored, MqttApplicationMessage Forward);

    // The username decides the role (it was checked with the password when the client connected).
    private ClientIdentity? Identify(string? clientId, string? userName) =>
        userName is null || clientId is null
            ? null
            : _credentials.Role(userName) switch
            {
                ClientRole.Gateway when clientId == userName => new ClientIdentity(ClientRole.Gateway, userName),
                ClientRole.Platform => new ClientIdentity(ClientRole.Platform, userName),
                _ => null,
            };

    private Task LoadRetainedAsync(LoadingRetainedMessagesEventArgs e)
    {
        var statuses = _store.Read(db => db.Query(
            "SELECT gw, packet FROM packets WHERE id IN (SELECT MAX(id) FROM packets WHERE kind = 'status' GROUP BY gw)",
            reader => (Gateway: reader.GetString(0), Packet: reader.GetString(1))));
        e.LoadedRetainedMessages = statuses
            .Select(status => new MqttApplicationMessageBuilder()
                .WithTopic(_topics.Status(status.Gateway))
                .WithPayload(System.Text.Encoding.ASCII.GetBytes(status.Packet))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(true)
                .Build())
            .ToList();
        return Task.CompletedTask;
    }
}
