using System;
using System.Device.Gpio;
using System.Threading;
using EdgeMeter.Core.Polling;
using EdgeMeter.Firmware.Time;

namespace EdgeMeter.Firmware.Status;

/// <summary>What the run/network LED shows (nf-boards.md section 2).</summary>
public enum RunState
{
    /// <summary>1 Hz blink: running, uplink not connected, readings go to the buffer.</summary>
    Offline,

    /// <summary>Steady on: connected to the receiver.</summary>
    Connected,

    /// <summary>5 Hz blink: not provisioned, unknown board or storage error.</summary>
    Fault,
}

/// <summary>
/// The two status LEDs (active high, plain GPIO outputs), driven by one 50 ms timer: the run LED's pattern and
/// the activity LED's flashes. Callers only set states; nothing here blocks.
/// </summary>
public sealed class StatusLeds : IDisposable, IBusActivity
{
    private const int TickMilliseconds = 50;

    private readonly GpioController _gpio = new GpioController();
    private readonly GpioPin _run;
    private readonly GpioPin _activity;
    private readonly DeviceClock _clock;
    private readonly Timer _timer;
    private readonly object _sync = new object();
    private RunState _state = RunState.Offline;
    private long _activityOffAt;
    private bool _activityOn;

    public StatusLeds(int runPin, int activityPin, DeviceClock clock)
    {
        _clock = clock;
        _run = _gpio.OpenPin(runPin, PinMode.Output);
        _activity = _gpio.OpenPin(activityPin, PinMode.Output);
        _run.Write(PinValue.Low);
        _activity.Write(PinValue.Low);
        _timer = new Timer(Tick, null, TickMilliseconds, TickMilliseconds);
    }

    public RunState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>A meter answered: a short flash.</summary>
    public void Answered() => Flash(50);

    /// <summary>A transaction timed out or failed its checksum: a long flash.</summary>
    public void Failed() => Flash(500);

    public void Dispose()
    {
        _timer.Dispose();
        _run.Write(PinValue.Low);
        _activity.Write(PinValue.Low);
        _gpio.Dispose();
    }

    private void Flash(int milliseconds)
    {
        lock (_sync)
        {
            _activityOffAt = _clock.MonotonicMilliseconds + milliseconds;
            if (!_activityOn)
            {
                _activityOn = true;
                _activity.Write(PinValue.High);
            }
        }
    }

    private void Tick(object? state)
    {
        var now = _clock.MonotonicMilliseconds;
        bool on;
        switch (_state)
        {
            case RunState.Connected:
                on = true;
                break;
            case RunState.Fault:
                on = (now / 100) % 2 == 0;
                break;
            default:
                on = (now / 500) % 2 == 0;
                break;
        }

        _run.Write(on ? PinValue.High : PinValue.Low);
        lock (_sync)
        {
            if (_activityOn && now >= _activityOffAt)
            {
                _activityOn = false;
                _activity.Write(PinValue.Low);
            }
        }
    }
}
