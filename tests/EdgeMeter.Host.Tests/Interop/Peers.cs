using System.Diagnostics;
using System.Text;

namespace EdgeMeter.Host.Tests.Interop;

/// <summary>
/// Independent programs the interoperability tests talk to (Debian packages: mbpoll, socat, gcc, libmodbus-dev).
/// A missing one skips the test with the reason, except in CI (CI=true), where it fails: CI installs them.
/// </summary>
internal static class Peers
{
    public static string Require(string program, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
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

    private static void Missing(string what, string package)
    {
        var reason = $"{what} (Debian package {package}; `bash .ci/install-peers` installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason}, and CI=true requires it");
        }

        Assert.Skip(reason);
    }

    /// <summary>Runs a program to completion (with a time limit) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string program, string arguments, TimeSpan limit)
    {
        using var process = Start(program, arguments);
        if (!process.Process.WaitForExit(limit))
        {
            process.Dispose();
            Assert.Fail($"{Path.GetFileName(program)} {arguments} did not finish within {limit.TotalSeconds} s");
        }

        process.Process.WaitForExit();
        return (process.Process.ExitCode, process.Output);
    }

    /// <summary>Starts a program in the background; disposing kills it (and only it).</summary>
    public static PeerProcess Start(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        return new PeerProcess(process);
    }

    /// <summary>Waits until a path exists (socat creates its pty links once it runs).</summary>
    public static void WaitForPath(string path, PeerProcess owner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!File.Exists(path))
        {
            if (owner.Process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} did not appear: {owner.Output}");
            }

            Thread.Sleep(20);
        }
    }

    internal sealed class PeerProcess : IDisposable
    {
        private readonly StringBuilder _output = new();

        public PeerProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public bool WaitForOutput(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (Process.HasExited || DateTime.UtcNow > deadline)
                {
                    return false;
                }

                Thread.Sleep(20);
            }

            return true;
        }

        public void Dispose()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill();
                    Process.WaitForExit(2000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line == null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
