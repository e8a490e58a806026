using System.Text;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Values;
using EdgeMeter.Pc.Runtime;
using EdgeMeter.Pc.Buffer;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>`--trace`: a kill -9 between a commit and its trace lines must not leave durable readings out of the trace.</summary>
public sealed class ReadingTraceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-trace-").FullName;

    [Fact]
    public void A_restarted_gateway_traces_the_committed_readings_a_kill_left_out_and_cuts_a_torn_line()
    {
        var config = Config();
        var path = Path.Combine(_directory, "trace.txt");
        using var buffer = ReadingBuffer.Open(new DiskFlashFileSystem(Path.Combine(_directory, "buffer")), new BufferOptions());
        var committed = Commit(buffer, 5);
        using (var trace = new ReadingTrace(path, config))
        {
            trace.Committed(committed, 2); // the kill came after the commit and the first two lines...
        }

        File.AppendAllText(path, "3 m1 kW"); // ...in the middle of the third

        using (var restarted = new ReadingTrace(path, config))
        {
            restarted.CatchUp(buffer);
            restarted.CatchUp(buffer); // a second start finds nothing missing
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(["1", "2", "3", "4", "5"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal("3 m1 kW 2026-12-01T00:03:00Z 100.3", lines[2]);
    }

    [Fact]
    public void Readings_the_broker_acknowledged_before_the_kill_are_traced_on_restart()
    {
        var path = Path.Combine(_directory, "trace.txt");
        using var buffer = ReadingBuffer.Open(new DiskFlashFileSystem(Path.Combine(_directory, "buffer")), new BufferOptions());
        var committed = Commit(buffer, 4);
        using (var trace = new ReadingTrace(path, Config()))
        {
            trace.Committed(committed, 1);
        }

        buffer.Acknowledge(4); // the uplink published the poll and had it acknowledged before its trace lines were written

        using (var restarted = new ReadingTrace(path, Config()))
        {
            restarted.CatchUp(buffer);
        }

        Assert.Equal(["1", "2", "3", "4"], File.ReadAllLines(path).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void A_reading_of_a_meter_the_configuration_no_longer_has_is_traced_by_index()
    {
        var path = Path.Combine(_directory, "trace.txt");
        using var buffer = ReadingBuffer.Open(new DiskFlashFileSystem(Path.Combine(_directory, "buffer")), new BufferOptions());
        var reading = new Reading(3, 7, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), new FixedDecimal(5, 0), ReadingQuality.Good);
        buffer.Append(ref reading);
        buffer.Commit();

        using (var trace = new ReadingTrace(path, Config()))
        {
            trace.CatchUp(buffer);
        }

        Assert.Equal("1 3 7 2026-12-01T00:00:00Z 5", File.ReadAllText(path).TrimEnd());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Reading[] Commit(ReadingBuffer buffer, int count)
    {
        var readings = new Reading[count];
        for (var i = 0; i < count; i++)
        {
            readings[i] = new Reading(0, 0, new DateTime(2026, 12, 1, 0, i + 1, 0, DateTimeKind.Utc), new FixedDecimal(1000 + i + 1, 1), ReadingQuality.Good);
            buffer.Append(ref readings[i]);
        }

        buffer.Commit();
        return readings;
    }

    private static GatewayConfig Config()
    {
        var bytes = Encoding.UTF8.GetBytes("""
            {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},
             "buses":[{"id":"bus1","link":"tcp://127.0.0.1:4001"}],
             "meters":[{"id":"m1","bus":"bus1","protocol":"modbus","unit":1,"pollSeconds":60,
                        "points":[{"id":"kW","register":0,"unit":"kW"}]}]}
            """);
        return GatewayConfigReader.Read(bytes, bytes.Length, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }
}
