using EdgeMeter.Common.Platform;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeMeter.PlatformSim.Records;

/// <summary>
/// Checks one upload record field by field, in a fixed order, and reports the first fault. Codes:
/// 400 malformed or missing field, 403 enterpriseCode not the token's, 409 regVersion/dicVersion not current
/// (checked last, so a 409 means the record is otherwise good and a client can refresh versions and resend).
/// </summary>
internal static partial class RecordValidator
{

    public static RecordError? Validate(
        JsonElement record, string tokenEnterprise, string regVersion, string dicVersion, out SimRecord? accepted)
    {
        accepted = null;
        if (record.ValueKind != JsonValueKind.Object)
        {
            return RecordError.BadField("record", "must be a JSON object");
        }

        (string Field, Func<string, RecordError?> Check)[] rules =
        [
            ("enterpriseCode", code => CheckEnterprise(code, tokenEnterprise)),
            ("dataCode", CheckDataCode),
            ("dataValue", text => CheckDecimal("dataValue", text, allowNegative: true)),
            ("convertRation", text => CheckDecimal("convertRation", text, allowNegative: false)),
            ("valid", text => CheckCode("valid", text, '0', '1', "0 (invalid) or 1 (valid)")),
            ("scope", text => CheckCode("scope", text, '1', '4', "1-4")),
            ("inputType", text => CheckCode("inputType", text, '1', '5', "1-5")),
            ("statType", text => CheckCode("statType", text, '0', '3', "0-3")),
            ("statDate", text => CheckDate("statDate", text)),
            ("uploadDate", text => CheckDate("uploadDate", text)),
            ("regVersion", text => CheckVersion("regVersion", text, regVersion)),
            ("dicVersion", text => CheckVersion("dicVersion", text, dicVersion)),
        ];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, check) in rules)
        {
            var error = ReadString(record, field, out var value) ?? check(value);
            if (error is not null)
            {
                return error;
            }

            values[field] = value;
        }

        if (CheckStamp(values["statType"], values["statDate"]) is { } stamp)
        {
            return stamp;
        }

        accepted = new SimRecord
        {
            EnterpriseCode = values["enterpriseCode"],
            RegVersion = values["regVersion"],
            DicVersion = values["dicVersion"],
            DataCode = values["dataCode"],
            DataValue = values["dataValue"],
            ConvertRation = values["convertRation"],
            Valid = values["valid"],
            Scope = values["scope"],
            InputType = values["inputType"],
            StatType = values["statType"],
            StatDate = values["statDate"],
            UploadDate = values["uploadDate"],
        };
        return null;
    }

    private static RecordError? ReadString(JsonElement record, string field, out string value)
    {
        value = string.Empty;
        if (!record.TryGetProperty(field, out var element))
        {
            return RecordError.BadField(field, "missing");
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return RecordError.BadField(field, $"must be a JSON string, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        value = element.GetString()!;
        return null;
    }

    private static RecordError? CheckEnterprise(string code, string tokenEnterprise)
    {
        if (CreditCode.Problem(code) is { } invalid)
        {
            return RecordError.BadField("enterpriseCode", invalid);
        }

        return code == tokenEnterprise
            ? null
            : new RecordError(403, "enterpriseCode", $"enterpriseCode: '{code}' is not the enterprise the token was issued to");
    }

    /// <summary>process(2) unit(2) equipment(4) class(2) energy type(4) usage(4), all digits, class 01-10.</summary>
    private static RecordError? CheckDataCode(string code)
    {
        if (code.Length != 18 || !code.All(char.IsAsciiDigit))
        {
            return RecordError.BadField("dataCode", $"'{code}' is not 18 digits");
        }

        var dataClass = int.Parse(code.AsSpan(8, 2), System.Globalization.CultureInfo.InvariantCulture);
        return dataClass is >= 1 and <= 10
            ? null
            : RecordError.BadField("dataCode", $"collected-data class '{code.Substring(8, 2)}' (characters 9-10) is not 01-10");
    }

    private static RecordError? CheckDecimal(string field, string text, bool allowNegative)
    {
        var match = DecimalPattern().Match(text);
        if (!match.Success || match.Groups["int"].Length + match.Groups["frac"].Length > 18)
        {
            return RecordError.BadField(field, $"'{text}' is not an exact decimal (digits, optional '.' and digits, at most 18 digits)");
        }

        return allowNegative || !text.StartsWith('-')
            ? null
            : RecordError.BadField(field, $"'{text}' must not be negative");
    }

    private static RecordError? CheckCode(string field, string text, char lowest, char highest, string allowed) =>
        text.Length == 1 && text[0] >= lowest && text[0] <= highest
            ? null
            : RecordError.BadField(field, $"'{text}' is not {allowed}");

    private static RecordError? CheckDate(string field, string text) =>
        PlatformTime.IsValidDate(text)
            ? null
            : RecordError.BadField(field, $"'{text}' is not a \"{PlatformTime.DateFormat}\" date");

    /// <summary>The public data-quality rule on statDate: real-time on a quarter hour, a day at 00:00:00, a month on the 1st, a year on 1 January.</summary>
    private static RecordError? CheckStamp(string statType, string statDate)
    {
        var time = DateTime.ParseExact(statDate, PlatformTime.DateFormat, System.Globalization.CultureInfo.InvariantCulture);
        var (ok, rule) = statType switch
        {
            "0" => (time.Second == 0 && time.Minute % 15 == 0, "a real-time value (statType 0) is stamped at :00, :15, :30 or :45"),
            "1" => (time.TimeOfDay == TimeSpan.Zero, "a daily value (statType 1) is stamped at 00:00:00"),
            "2" => (time.TimeOfDay == TimeSpan.Zero && time.Day == 1, "a monthly value (statType 2) is stamped on the 1st at 00:00:00"),
            _ => (time.TimeOfDay == TimeSpan.Zero && time.DayOfYear == 1, "a yearly value (statType 3) is stamped on 1 January at 00:00:00"),
        };
        return ok ? null : RecordError.BadField("statDate", $"'{statDate}': {rule}");
    }

    private static RecordError? CheckVersion(string field, string value, string current) =>
        value == current
            ? null
            : new RecordError(409, field, $"{field}: '{value}' is not the current version '{current}' (see /checkVersion)");

    [GeneratedRegex(@"^-?(?<int>[0-9]+)(\.(?<frac>[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
