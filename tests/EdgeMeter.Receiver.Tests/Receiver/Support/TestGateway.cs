using System.Text;
using System.Threading.Channels;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>A gateway as the receiver sees it: the core's PacketSigner with its key, and an MQTTnet client.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly PacketSigner? _signer;
    private readonly MqttTopics _topics = new();
    private bool _disposed;

    public TestGateway(string id, byte[] key, int keyVersion = 1)
    {
        Id = id;
        // Platform accounts connect with this class too: they have no gateway id and sign nothing.
        _signer = GatewayIdentity.IsGatewayId(id) ? new PacketSigner(id, keyVersion, key, new DotNetPacketMac()) : null;
        Client = new MqttClientFactory().CreateMqttClient();
        Client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public string Id { get; }

    public IMqttClient Client { get; }

    public Channel<MqttApplicationMessage> Received { get; } = Channel.CreateUnbounded<MqttApplicationMessage>();

    public string UpTopic => _topics.Up(Id);

    public static PacketReading Reading(long n, string value, string meter = "000012345678", string point = "00010000", int minute = 0, ReadingFlags flags = ReadingFlags.None)
    {
        FixedDecimal.TryParse(value, out var parsed);
        return new PacketReading(meter, point, Now.AddMinutes(-60 + minute), parsed, "kWh", flags) { Sequence = n };
    }

    /// <summary>Drops the connection without DISCONNECT, as a gateway losing power does: the broker publishes its will.</summary>
    public void Vanish()
    {
        _disposed = true;
        Client.Dispose();
    }

    public async Task<MqttClientConnectResult> ConnectAsync(
        int port, string? password, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null, string? username = null,
        byte[]? will = null, bool subscribeDown = false, bool tls = false)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? Id)
            .WithProtocolVersion(version)
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (password is not null)
        {
            builder.WithCredentials(username ?? Id, password);
        }

        if (tls)
        {
            // The test broker's certificate is self-signed.
            builder.WithTlsOptions(options => options.UseTls().WithCertificateValidationHandler(_ => true));
        }

        if (will is not null)
        {
            builder.WithWillTopic(_topics.Status(Id)).WithWillPayload(will).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var result = await Client.ConnectAsync(builder.Build(), TestContext.Current.CancellationToken);
        if (subscribeDown && result.ResultCode == MqttClientConnectResultCode.Success)
        {
            await Client.SubscribeAsync(_topics.Down(Id), MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        }

        return result;
    }

    public string SignReadings(long seq, params PacketReading[] readings)
    {
        Assert.Equal(readings.Length, _signer!.SignReadings(seq, Now, readings, 0, readings.Length));
        return _signer!.PacketString();
    }

    public string SignStatus(long seq, GatewayState state, long will, bool synced = true, params MeterHealth[] meters)
    {
        Assert.True(_signer!.SignStatus(seq, Now, new GatewayStatus
        {
            State = state, Firmware = "0.4.1", UptimeSeconds = 60, ClockSynchronized = synced, WillSequence = will, Meters = meters, MeterCount = meters.Length,
        }));
        return _signer!.PacketString();
    }

    public string SignReply(long seq, long command, CommandResult result, string message)
    {
        Assert.True(_signer!.SignReply(seq, Now, new CommandReply { CommandSequence = command, Result = result, Message = message }));
        return _signer!.PacketString();
    }

    public Task<MqttClientPublishResult> PublishAsync(PacketKind kind, string packet, bool retain = false) =>
        PublishAsync(_topics.Topic(Id, kind), Encoding.ASCII.GetBytes(packet), retain);

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, bool retain = false) =>
        Client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build(),
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Client.IsConnected)
        {
            try
            {
                await Client.DisconnectAsync();
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }

        Client.Dispose();
    }
}
