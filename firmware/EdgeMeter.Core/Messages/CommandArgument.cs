namespace EdgeMeter.Core.Messages;

/// <summary>One named argument of a command ("args" member).</summary>
public sealed class CommandArgument
{
    public CommandArgument(string name, string value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string Value { get; }
}
