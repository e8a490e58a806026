namespace EdgeMeter.Core.Json;

/// <summary>Why <see cref="JsonReader.Parse"/> refused a document.</summary>
public enum JsonError
{
    None = 0,
    UnexpectedEnd,
    UnexpectedCharacter,
    BadEscape,
    BadUtf8,
    LoneSurrogate,
    ControlCharacter,
    BadNumber,
    TooDeep,
    TooManyTokens,
    TooLong,
    DuplicateKey,
    TrailingData,
}
