namespace EdgeMeter.TestSupport;

/// <summary>
/// Independent programs the interoperability tests talk to (Debian packages: mosquitto, mbpoll, socat, gcc,
/// libmodbus-dev, ...). A missing one skips the test with the reason, except in CI (CI=true), where it fails: CI
/// installs them (.ci/install-peers).
/// </summary>
public static class Peers
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin"];

    /// <summary>The path of <paramref name="program"/>: a path, or a name looked up on PATH and in /usr/sbin.</summary>
    public static string Require(string program, string package)
    {
        var path = program.Contains('/', StringComparison.Ordinal)
            ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Concat(SystemDirectories)
                .Select(directory => Path.Combine(directory, program))
                .FirstOrDefault(File.Exists);
        if (path == null)
        {
            Missing($"{program} is not installed", package);
        }

        return path ?? string.Empty;
    }

    /// <summary>Requires a file a package installs (a C header).</summary>
    public static void RequireFile(string path, string package)
    {
        if (!File.Exists(path))
        {
            Missing($"{path} is missing", package);
        }
    }

    /// <summary>
    /// A python3 that imports <paramref name="module"/>: Debian's python3-* packages live in the system interpreter,
    /// and a python3 earlier on PATH (pyenv, venv) may lack them.
    /// </summary>
    public static string RequirePythonModule(string module, string package)
    {
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Run(python, $"-c \"import {module}\"", TimeSpan.FromSeconds(30)).ExitCode == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // no interpreter under that name
            }
        }

        Missing($"python3 with {module} is not installed", package);
        return string.Empty;
    }

    /// <summary>Runs a program to completion (with a time limit) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string program, string arguments, TimeSpan limit)
    {
        using var process = ChildProcess.StartCommandLine(program, arguments);
        if (!process.WaitForExit(limit))
        {
            process.Dispose();
            Assert.Fail($"{Path.GetFileName(program)} {arguments} did not finish within {limit.TotalSeconds} s");
        }

        return (process.Process.ExitCode, process.Output);
    }

    /// <summary>Waits until a path exists (socat creates its pty links once it runs).</summary>
    public static void WaitForPath(string path, ChildProcess owner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!File.Exists(path))
        {
            if (owner.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} did not appear: {owner.Output}");
            }

            Thread.Sleep(20);
        }
    }

    private static void Missing(string what, string package)
    {
        var reason = $"{what} (Debian package {package}; `bash .ci/install-peers` installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason}, and CI=true requires it");
        }

        Assert.Skip(reason);
    }
}
