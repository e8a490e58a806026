using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// A real Mosquitto (the Debian package) as a child process on a free loopback port, with a temporary
/// configuration: anonymous loopback clients, no persistence, queues deep enough that nothing is dropped under load.
/// Disposing stops this process (and only it) and removes the temporary directory.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private MosquittoBroker(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines of the broker's log (errors, warnings, connections), for a failure report.</summary>
    public string LogTail(int lines = 30)
    {
        var path = Path.Combine(_directory, "mosquitto.log");
        return File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(lines)) : "(no log)";
    }

    /// <summary>The mosquitto executable, or null when it is not installed.</summary>
    public static string? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin").Append("/usr/local/sbin");
        return directories.Select(d => Path.Combine(d, "mosquitto")).FirstOrDefault(File.Exists);
    }

    public static MosquittoBroker Start(string executable)
    {
        var port = EdgeMeter.TestSupport.FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("edgemeter-mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllLines(config,
        [
            $"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "max_inflight_messages 256",
            "max_queued_messages 1000000",
            $"log_dest file {Path.Combine(directory, "mosquitto.log")}",
            "log_type error",
            "log_type warning",
            "log_type notice",
        ]);
        var process = Process.Start(new ProcessStartInfo(executable, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var broker = new MosquittoBroker(process, directory, port);
        broker.WaitUntilListening();
        return broker;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode} at start");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        Dispose();
        throw new InvalidOperationException($"mosquitto did not listen on port {Port} within 10 s");
    }
}
