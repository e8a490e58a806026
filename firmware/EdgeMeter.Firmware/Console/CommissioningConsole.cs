using System;
using System.Collections;
using System.Diagnostics;
using System.IO.Ports;
using System.Threading;
using nanoFramework.Runtime.Native;

namespace EdgeMeter.Firmware.Console;

/// <summary>Produces lines for the console: a configuration summary or a block of status.</summary>
public delegate string[] ConsoleLines();

/// <summary>
/// A line console for commissioning on COM1 (UART0, 115200 8N1): <c>help</c>, <c>config</c>, <c>status</c>,
/// <c>live</c> (toggle live readings), <c>reboot</c>.
/// </summary>
/// <remarks>
/// On the classic ESP32 builds nanoCLR's debugger (wire protocol) owns UART0, and opening COM1 fails; the same
/// happens on any target whose wire protocol runs on the UART. The console then has no input and writes status
/// and live lines to Debug.WriteLine instead, which a connected debugger shows. On targets whose debugger uses USB
/// (ESP32-S3 builds with USB CDC), COM1 is free and the console is interactive.
/// </remarks>
public sealed class CommissioningConsole : IDisposable
{
    private readonly ArrayList _status = new ArrayList();
    private readonly object _sync = new object();
    private SerialPort? _port;
    private Thread? _reader;
    private bool _live;
    private bool _running;

    /// <summary>The configuration summary (never secrets: no passwords or keys).</summary>
    public ConsoleLines? Config { get; set; }

    /// <summary>Whether live lines are shown: toggled with <c>live</c>; always on without COM1 (they go to the debugger).</summary>
    public bool IsLive => _live || _port == null;

    /// <summary>Whether COM1 could be opened (false: output goes to the debugger only).</summary>
    public bool IsInteractive => _port != null;

    /// <summary>Adds a block to the <c>status</c> output (device, buses, uplink, buffer, ...).</summary>
    public void AddStatus(ConsoleLines lines) => _status.Add(lines);

    /// <summary>Opens COM1 and starts reading commands; returns false when COM1 is not available.</summary>
    public bool Start()
    {
        _running = true;
        try
        {
            var port = new SerialPort("COM1", 115200, Parity.None, 8, StopBits.One);
            port.ReadTimeout = Timeout.Infinite;
            port.WriteTimeout = 1000;
            port.NewLine = "\n";
            port.Open();
            _port = port;
        }
        catch (Exception failure)
        {
            _port = null;
            Debug.WriteLine("console: COM1 not available (" + failure.Message + "); output goes to the debugger");
            return false;
        }

        _reader = new Thread(ReadCommands);
        _reader.Start();
        WriteLine("EdgeMeter console. Type help.");
        return true;
    }

    /// <summary>Shows one live line (e.g. a reading) while live mode is on; cheap when it is off.</summary>
    public void Live(string line)
    {
        if (IsLive)
        {
            WriteLine(line);
        }
    }

    public void Dispose()
    {
        _running = false;
        _port?.Dispose();
    }

    private void ReadCommands()
    {
        while (_running)
        {
            string line;
            try
            {
                line = _port!.ReadLine().Trim();
            }
            catch (Exception)
            {
                Thread.Sleep(500);
                continue;
            }

            Execute(line);
        }
    }

    private void Execute(string command)
    {
        switch (command)
        {
            case "":
                return;
            case "help":
                WriteLine("help | config | status | live | reboot");
                return;
            case "config":
                WriteAll(Config == null ? new[] { "no configuration loaded" } : Config());
                return;
            case "status":
                WriteStatus();
                return;
            case "live":
                _live = !_live;
                WriteLine(_live ? "live readings on" : "live readings off");
                return;
            case "reboot":
                WriteLine("rebooting");
                Power.RebootDevice(2000);
                return;
            default:
                WriteLine("unknown command: " + command + " (type help)");
                return;
        }
    }

    /// <summary>Writes every status block (also usable without a COM1, e.g. periodically to the debugger).</summary>
    public void WriteStatus()
    {
        for (var i = 0; i < _status.Count; i++)
        {
            WriteAll(((ConsoleLines)_status[i])());
        }
    }

    private void WriteAll(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            WriteLine(lines[i]);
        }
    }

    private void WriteLine(string line)
    {
        lock (_sync)
        {
            var port = _port;
            if (port == null)
            {
                Debug.WriteLine(line);
                return;
            }

            try
            {
                port.WriteLine(line);
            }
            catch (Exception)
            {
                // A console write must never disturb the gateway.
            }
        }
    }
}
