using EdgeMeter.Core.Values;
using DataCodeRules = EdgeMeter.Receiver.Relay.Http.DataCode;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// One reading as the platform wants it (/dataEnterpriseEnergy). enterpriseCode, regVersion, dicVersion and
/// uploadDate are not here: the client stamps them at send time (<see cref="RecordStamp"/>).
/// </summary>
public sealed record PlatformRecord
{
    /// <summary>The 18-digit collected-data item code (see <see cref="DataCodeRules"/>).</summary>
    public required string DataCode { get; init; }

    /// <summary>Sent as an exact decimal string that keeps its scale ("12.340").</summary>
    public required FixedDecimal DataValue { get; init; }

    /// <summary>Standard-coal conversion factor for this item, from the platform's configuration.</summary>
    public required FixedDecimal ConvertRation { get; init; }

    /// <summary>Start of the period the value covers, in Beijing wall-clock time (see <see cref="PlatformTime"/>).</summary>
    public required DateTime StatDate { get; init; }

    public StatType StatType { get; init; } = StatType.RealTime;

    public InputType InputType { get; init; } = InputType.FieldInstrument;

    public DataScope Scope { get; init; } = DataScope.WholePlant;

    public bool Valid { get; init; } = true;

    /// <summary>
    /// Sent as the Idempotency-Key header so that a resend is recognised as the same record; use
    /// <see cref="KeyFor"/>. 1-128 characters of letters, digits and :._-/ (no commas: batches join keys with them).
    /// </summary>
    public string? IdempotencyKey { get; init; }


    /// <summary>Null when the record can be sent, else "field: problem" (a permanent fault of the record itself).</summary>
    public string? Problem()
    {
        if (DataCodeRules.Validate(DataCode) is { } dataCodeProblem)
        {
            return dataCodeProblem;
        }

        if (!Enum.IsDefined(StatType) || !Enum.IsDefined(InputType) || !Enum.IsDefined(Scope))
        {
            return $"statType/inputType/scope: {(int)StatType}/{(int)InputType}/{(int)Scope} is outside the code lists";
        }

        if (ConvertRation.Mantissa < 0)
        {
            return $"convertRation: '{ConvertRation}' must not be negative";
        }

        return IdempotencyKey is null || IsValidKey(IdempotencyKey)
            ? null
            : $"Idempotency-Key: '{IdempotencyKey}' is not 1-128 characters of letters, digits and :._-/";
    }

    private static bool IsValidKey(string key) =>
        key.Length is >= 1 and <= 128 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-' or '/');
}

/// <summary>The per-send fields the client adds to every record.</summary>
public readonly record struct RecordStamp(string EnterpriseCode, string RegVersion, string DicVersion, DateTime UploadDate);
