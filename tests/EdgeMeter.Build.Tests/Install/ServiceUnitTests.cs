namespace EdgeMeter.Build.Tests.Install;

/// <summary>
/// The systemd units in examples/systemd: systemd itself finds nothing wrong with them (systemd-analyze verify,
/// with the program swapped for one that exists here), they run as a dedicated user with the hardening the docs
/// promise, and they start the programs where the documented publish commands put them.
/// </summary>
public sealed class ServiceUnitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-units-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string, string> Units => new()
    {
        { "edgemeter-receiver.service", "edgemeter-receiver.service", "/opt/edgemeter/receiver/edgemeter-receiver run --config /etc/edgemeter/receiver.json" },
        { "edgemeter-gateway@.service", "edgemeter-gateway@gw-bench-01.service", "/opt/edgemeter/gateway/edgemeter gateway --config /etc/edgemeter/gateways/%i.json" },
    };

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Systemd_accepts_the_unit_without_a_warning(string file, string instance, string execStart)
    {
        var analyze = Peers.Require("systemd-analyze", "systemd");
        var text = File.ReadAllText(Path.Combine(Repo.Root, "examples", "systemd", file));
        var program = execStart.Split(' ')[0];
        var copy = Path.Combine(_directory, instance);
        File.WriteAllText(copy, text.Replace("ExecStart=" + program, "ExecStart=/usr/bin/env", StringComparison.Ordinal));

        var start = new System.Diagnostics.ProcessStartInfo(analyze) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(copy);
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await errors;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        // verify exits 0 even for unknown keys and bad values: every warning counts.
        Assert.Equal(0, process.ExitCode);
        Assert.True(output.Trim().Length == 0, $"systemd-analyze verify {file}: {output}");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void The_unit_runs_the_published_program_as_a_dedicated_user_with_the_documented_hardening(string file, string instance, string execStart)
    {
        _ = instance;
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "examples", "systemd", file)).Select(line => line.Trim()).ToList();

        Assert.Contains(lines, line => line.StartsWith("ExecStart=" + execStart, StringComparison.Ordinal));
        foreach (var setting in new[] { "User=edgemeter", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "KillSignal=SIGTERM", "Restart=always" })
        {
            Assert.Contains(setting, lines);
        }

        Assert.Contains(lines, line => line.StartsWith("StateDirectory=edgemeter-", StringComparison.Ordinal));
        var publish = execStart.Split(' ')[0];
        Assert.Contains($"-o {Path.GetDirectoryName(publish)}", File.ReadAllText(Path.Combine(Repo.Root, "docs", "receiver.md")), StringComparison.Ordinal);
    }
}
