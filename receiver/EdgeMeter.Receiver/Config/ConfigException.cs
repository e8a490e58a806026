namespace EdgeMeter.Receiver.Config;

/// <summary>The configuration cannot be used; each problem names the setting. The CLI exits with 2.</summary>
public sealed class ConfigException(IReadOnlyList<string> problems)
    : Exception("invalid configuration: " + string.Join("; ", problems))
{
    public ConfigException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
