namespace EdgeMeter.Pc.Cli;

/// <summary>Where a command writes: results to standard output, one-line problems to standard error.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, string program = "edgemeter")
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The program's name, as the user typed it: "edgemeter", "edgemeter-meter-sim".</summary>
    public string Program { get; } = program;

    public void Fail(string message) => Error.WriteLine($"{Program}: error: {message}");

    /// <summary>Something accepted that the user should still know about.</summary>
    public void Note(string message) => Error.WriteLine($"{Program}: note: {message}");
}
