namespace EdgeMeter.Core.Json;

/// <summary>A position in a <see cref="JsonWriter"/> to roll back to.</summary>
public readonly struct JsonWriterMark
{
    internal JsonWriterMark(int length, int depth, bool hasItems, bool afterName)
    {
        Length = length;
        Depth = depth;
        HasItems = hasItems;
        AfterName = afterName;
    }

    internal int Length { get; }

    internal int Depth { get; }

    internal bool HasItems { get; }

    internal bool AfterName { get; }
}
