using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Ops;

namespace EdgeMeter.Receiver.Cli;

/// <summary>`audit verify --file F`: checks the audit log's hash chain.</summary>
internal static class AuditVerb
{
    public static Command Create(TextWriter output)
    {
        var file = new Option<string>("--file", "-f") { Description = "Audit log file.", Required = true };
        var verify = new Command("verify", "Check that no audit record was edited, removed, inserted or reordered.") { file };
        verify.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"audit log {path} does not exist", ExitCodes.Failure);
            }

            if (AuditLog.Verify(path, out var lines) is { } problem)
            {
                throw new CliException($"audit log {path} is broken at {problem}", ExitCodes.Failure);
            }

            output.WriteLine($"audit log intact: {lines} records");
            return ExitCodes.Ok;
        });
        var audit = new Command("audit", "Audit log tools.");
        audit.Subcommands.Add(verify);
        return audit;
    }
}
