namespace System.IO.Ports;

public enum Handshake
{
    None = 0,
    XOnXOff = 1,
    RequestToSend = 2,
    RequestToSendXOnXOff = 3,
}

public enum Parity
{
    None = 0,
    Odd = 1,
    Even = 2,
}

public enum SerialMode
{
    Normal = 0,
    RS485 = 1,
}

public enum StopBits
{
    One = 1,
    Two = 2,
    OnePointFive = 3,
}

public sealed class SerialPort : IDisposable
{
    public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) => throw null!;

    public int BaudRate
    {
        get => throw null!;
        set => throw null!;
    }

    public Handshake Handshake
    {
        get => throw null!;
        set => throw null!;
    }

    public SerialMode Mode
    {
        get => throw null!;
        set => throw null!;
    }

    public bool IsOpen => throw null!;

    public string NewLine
    {
        get => throw null!;
        set => throw null!;
    }

    public int ReadTimeout
    {
        get => throw null!;
        set => throw null!;
    }

    public int WriteTimeout
    {
        get => throw null!;
        set => throw null!;
    }

    public int BytesToRead => throw null!;

    public int ReadBufferSize
    {
        get => throw null!;
        set => throw null!;
    }

    public void Open() => throw null!;

    public void Close() => throw null!;

    public int Read(byte[] buffer, int offset, int count) => throw null!;

    public string ReadLine() => throw null!;

    public void Write(byte[] buffer, int offset, int count) => throw null!;

    public void WriteLine(string text) => throw null!;

    public void Dispose() => throw null!;
}
