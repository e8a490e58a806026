namespace System.Threading;

public struct CancellationToken
{
    public static CancellationToken None => throw null!;

    public bool IsCancellationRequested => throw null!;
}

public class CancellationTokenSource : IDisposable
{
    public CancellationTokenSource() => throw null!;

    public CancellationTokenSource(int millisecondsDelay) => throw null!;

    public bool IsCancellationRequested => throw null!;

    public CancellationToken Token => throw null!;

    public void Cancel() => throw null!;

    public void Dispose() => throw null!;
}
