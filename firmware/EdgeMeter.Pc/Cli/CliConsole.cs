namespace EdgeMeter.Pc.Cli;

/// <summary>Where a command writes: results to standard output, one-line problems to standard error.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public void Fail(string message) => Error.WriteLine($"edgemeter: error: {message}");
}
