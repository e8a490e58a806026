namespace System.Device.Gpio;

public enum PinMode
{
    Input = 0,
    InputPullDown = 1,
    InputPullUp = 2,
    Output = 3,
    OutputOpenDrain = 4,
    OutputOpenDrainPullUp = 5,
    OutputOpenSource = 6,
    OutputOpenSourcePullDown = 7,
}

public readonly struct PinValue
{
    public static PinValue High => throw null!;

    public static PinValue Low => throw null!;
}

public sealed class GpioController : IDisposable
{
    public GpioController() => throw null!;

    public GpioPin OpenPin(int pinNumber) => throw null!;

    public GpioPin OpenPin(int pinNumber, PinMode mode) => throw null!;

    public void Dispose() => throw null!;
}

public sealed class GpioPin : IDisposable
{
    private GpioPin() => throw null!;

    public int PinNumber => throw null!;

    public PinValue Read() => throw null!;

    public void Write(PinValue value) => throw null!;

    public void Dispose() => throw null!;
}
