using EdgeMeter.Core.Links;

namespace EdgeMeter.Pc.Links;

/// <summary>
/// Passes everything to an inner link and remembers the last <see cref="LinkException"/>, so a command can say
/// why a master reported <c>LinkDown</c> ("connection refused", "no such device").
/// </summary>
public sealed class FailureRecordingLink(IMeterLink inner) : IMeterLink, IDisposable
{
    public string? LastFailure { get; private set; }

    public int BaudRate => inner.BaudRate;

    public int BitsPerCharacter => inner.BitsPerCharacter;

    public void Write(byte[] buffer, int offset, int count) => Record(() => inner.Write(buffer, offset, count));

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        var read = 0;
        Record(() => read = inner.Read(buffer, offset, count, timeoutMilliseconds));
        return read;
    }

    public void DiscardInput() => Record(inner.DiscardInput);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private void Record(Action action)
    {
        try
        {
            action();
        }
        catch (LinkException failure)
        {
            LastFailure = failure.Message;
            throw;
        }
    }
}
