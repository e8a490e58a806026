using EdgeMeter.Receiver.Ops;

namespace EdgeMeter.Receiver.Tests.Receiver.Cli;

/// <summary>The audit log written by the running receiver and by an operator's command at the same time.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-audit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Two_writers_on_one_file_keep_one_unbroken_chain()
    {
        var path = Path.Combine(_directory, "audit.log");
        using var receiver = new AuditLog(path);
        receiver.Append("operator", "command.queue", "gw-0001", "ok");
        using (var command = new AuditLog(path))
        {
            command.Append("cli:root", "gateway.import", "gw-0002", "ok");
        }

        receiver.Append("operator", "dead-letters.retry", "all", "ok");
        Parallel.For(0, 40, i =>
        {
            var target = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i % 2 == 0)
            {
                receiver.Append("writer", "test", target, "ok");
                return;
            }

            using var other = new AuditLog(path);
            other.Append("writer", "test", target, "ok");
        });

        Assert.Null(AuditLog.Verify(path, out var lines));
        Assert.Equal(43, lines);
    }
}
