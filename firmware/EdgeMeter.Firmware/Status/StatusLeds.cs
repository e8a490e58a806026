using System;
using System.Device.Gpio;
using System.Threading;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Firmware.Time;

namespace EdgeMeter.Firmware.Status;

/// <summary>
/// The two status LEDs (active high, plain GPIO outputs), driven by one 50 ms timer: the run LED shows the
/// commissioning code (<see cref="CommissioningCode"/>: steady when all works, N blinks for the first failing step) or
/// a fast 5 Hz blink for a fault that stops the gateway (not provisioned, unknown board, storage); the activity LED
/// flashes per meter transaction. Callers only set states; nothing here blocks.
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
    private bool _fault;
    private int _code = CommissioningCode.NoNetwork;
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

    /// <summary>A fault that stops the gateway: the run LED blinks at 5 Hz whatever the code.</summary>
    public bool Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>The commissioning code the run LED blinks (<see cref="CommissioningCode"/>).</summary>
    public int Code
    {
        get => _code;
        set => _code = value;
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
        var on = _fault ? (now / 100) % 2 == 0 : CommissioningCode.IsLit(_code, now);
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
