using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// A do-nothing consumer in a process of its own, for the pinned-core runs (<see cref="PinnedIngestTest"/>): a
/// subscriber acknowledging by hand in arrival order like the receiver's external ingest (<c>null-subscriber</c>), or
/// an MQTTnet broker that only counts (<c>null-broker</c>). Talks on its standard streams: prints <c>ready</c>; for each
/// <c>expect N</c> line it answers <c>armed</c>, then <c>done T</c> with the monotonic timestamp of the N-th message
/// (Stopwatch ticks, the same clock in every process of the machine).
/// </summary>
public static class PinnedConsumer
{
    private static long _count;
    private static long _target = long.MaxValue;

    /// <summary>Why the subscriber's connection ended, if it did.</summary>
    private static string _connection = "";

    public static async Task<int> RunAsync(string mode, int port, string topicPrefix, TextWriter output)
    {
        await using var consumer = mode == "null-broker" ? await StartBrokerAsync(port) : await StartSubscriberAsync(port, topicPrefix);
        output.WriteLine("ready");
        output.Flush();

        // Standard input is read on a thread of its own: a blocking read on a pool thread starves a process pinned to
        // one core, whose pool starts with one thread (the first version of this tool measured exactly that).
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            ReadCommands(output);
            ended.SetResult();
        }) { IsBackground = true, Name = "commands" }.Start();
        await ended.Task;
        return 0;
    }

    private static void ReadCommands(TextWriter output)
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (line.StartsWith("expect ", StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref _count, 0);
                Interlocked.Exchange(ref _target, long.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture));
                Say(output, "armed");
            }
            else if (line == "status")
            {
                Say(output, $"count {Interlocked.Read(ref _count)} of {Interlocked.Read(ref _target)}{_connection}");
            }
        }
    }

    private static void Say(TextWriter output, string line)
    {
        lock (Console.Out)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void Arrived()
    {
        if (Interlocked.Increment(ref _count) == Interlocked.Read(ref _target))
        {
            Say(Console.Out, $"done {Stopwatch.GetTimestamp()}");
        }
    }

    private static async Task<IAsyncDisposable> StartBrokerAsync(int port)
    {
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.InterceptingPublishAsync += _ =>
        {
            Arrived();
            return Task.CompletedTask;
        };
        await server.StartAsync();
        return new Stopper(async () =>
        {
            await server.StopAsync();
            server.Dispose();
        });
    }

    private static async Task<IAsyncDisposable> StartSubscriberAsync(int port, string topicPrefix)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.DisconnectedAsync += e =>
        {
            _connection = $"; disconnected: {e.Reason} {e.ReasonString} {e.Exception?.Message}";
            return Task.CompletedTask;
        };
        var pending = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            pending.Writer.TryWrite(e);
            Arrived();
            return Task.CompletedTask;
        };
        var acknowledging = Task.Run(async () =>
        {
            await foreach (var message in pending.Reader.ReadAllAsync())
            {
                await message.AcknowledgeAsync(CancellationToken.None);
            }
        });
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("load.pinned-null-subscriber")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithReceiveMaximum(256);
        var built = options.Build();
        ((MqttClientTcpOptions)built.ChannelOptions).BufferSize = EdgeMeter.Receiver.Ingest.ExternalBrokerIngest.SocketBufferBytes; // as the receiver
        await client.ConnectAsync(built);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"{topicPrefix}/+/up", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return new Stopper(async () =>
        {
            pending.Writer.TryComplete();
            await acknowledging;
            await client.DisconnectAsync(new MqttClientDisconnectOptions());
            client.Dispose();
        });
    }

    private sealed class Stopper(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
