using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// One program of the demo (a gateway, the receiver, a platform, the meters) as a real process: one of ours run by
/// `dotnet`, or with <paramref name="executable"/> an installed program (Mosquitto, for a receiver group).
/// </summary>
public sealed class DemoProcess(
    string name, string assembly, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null, string? executable = null) : IDisposable
{
    private Process? _process;
    private StreamWriter? _log;

    public string Name { get; } = name;

    public bool IsRunning => _process is { HasExited: false };

    public int Starts { get; private set; }

    public void Start()
    {
        var start = new ProcessStartInfo(executable ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (executable is null)
        {
            start.ArgumentList.Add(DemoPrograms.PathOf(assembly));
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        _log ??= new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Name}");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
    }

    /// <summary>SIGKILL: no chance to flush, close or say goodbye.</summary>
    public void Kill()
    {
        if (IsRunning)
        {
            _process!.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="patience"/>.</summary>
    public void Stop(TimeSpan patience)
    {
        if (!IsRunning)
        {
            return;
        }

        _ = SendSignal(_process!.Id, 15);
        if (!_process.WaitForExit(patience))
        {
            Kill();
            return;
        }

        _process.WaitForExit(); // the last of its output, which a timed wait does not wait for
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        lock (this)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (this)
            {
                _log?.WriteLine(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);
}
