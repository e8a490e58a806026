namespace EdgeMeter.PlatformSim.Records;

/// <summary>Why one record was refused: the response code, the field at fault, and a message starting "field: ".</summary>
public sealed record RecordError(int Code, string Field, string Message)
{
    public static RecordError BadField(string field, string problem) => new(400, field, $"{field}: {problem}");
}
