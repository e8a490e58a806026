using System.Text.Json.Serialization;

namespace EdgeMeter.PlatformSim.Records;

/// <summary>
/// One upload record the simulated platform accepted, exactly as the strings arrived, plus where and when.
/// </summary>
public sealed record SimRecord
{
    /// <summary>1, 2, 3, ... in acceptance order (per simulator, continued from the store file).</summary>
    public long Sequence { get; init; }

    public string Platform { get; init; } = string.Empty;

    /// <summary>The Idempotency-Key the record came with, or null when it was deduped on its natural key.</summary>
    public string? IdempotencyKey { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public required string EnterpriseCode { get; init; }

    public required string RegVersion { get; init; }

    public required string DicVersion { get; init; }

    public required string DataCode { get; init; }

    public required string DataValue { get; init; }

    public required string ConvertRation { get; init; }

    public required string Valid { get; init; }

    public required string Scope { get; init; }

    public required string InputType { get; init; }

    public required string StatType { get; init; }

    public required string StatDate { get; init; }

    public required string UploadDate { get; init; }

    /// <summary>(enterpriseCode, dataCode, statType, statDate): what a value is of; a later record of it replaces an earlier one.</summary>
    [JsonIgnore]
    public string NaturalKey => $"{EnterpriseCode}|{DataCode}|{StatType}|{StatDate}";

    /// <summary>
    /// The first field in which two records of one key disagree, or null when they are the same reading.
    /// uploadDate and the versions are left out: a resend legitimately carries new ones.
    /// </summary>
    public string? FirstDifference(SimRecord other)
    {
        (string Field, string Mine, string Theirs)[] fields =
        [
            ("enterpriseCode", EnterpriseCode, other.EnterpriseCode),
            ("dataCode", DataCode, other.DataCode),
            ("dataValue", DataValue, other.DataValue),
            ("convertRation", ConvertRation, other.ConvertRation),
            ("valid", Valid, other.Valid),
            ("scope", Scope, other.Scope),
            ("inputType", InputType, other.InputType),
            ("statType", StatType, other.StatType),
            ("statDate", StatDate, other.StatDate),
        ];
        foreach (var (field, mine, theirs) in fields)
        {
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }
}
