using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EdgeMeter.TestSupport;

/// <summary>A program a test starts and kills (a peer, or one of ours); its output is kept for failure messages.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly StringBuilder _output = new();

    private ChildProcess(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        Process = new Process { StartInfo = info, EnableRaisingEvents = true };
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public bool HasExited => Process.HasExited;

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

    public static ChildProcess Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ChildProcess(info);
    }

    /// <summary>Starts a program as <paramref name="info"/> describes it (working directory, environment).</summary>
    public static ChildProcess Start(ProcessStartInfo info) => new(info);

    /// <summary>Starts a program with its arguments as one command line (split as a shell would, without quoting rules).</summary>
    public static ChildProcess StartCommandLine(string fileName, string arguments) => new(new ProcessStartInfo(fileName, arguments));

    /// <summary>The .NET program of a project the tests reference (copied next to them), run with `dotnet`.</summary>
    public static ChildProcess StartDotnet(string assembly, params string[] arguments) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments]);

    /// <summary>Waits for the exit and then for the last of its output (a timed wait alone returns before that).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            return false;
        }

        Process.WaitForExit();
        return true;
    }

    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    public async Task WaitForPortAsync(int port, string what)
    {
        await Eventually.Until(() => HasExited || CanConnect(port), what);
        Assert.False(HasExited, $"{what}: the process exited: {Output}");
    }

    /// <summary>SIGKILL: no chance to flush, close or acknowledge anything.</summary>
    public void KillHard()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                KillHard();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
