using System.Globalization;
using System.Text.Json;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// A platform answer reduced to what decides its fate. Code is the HTTP status when that is not 2xx, else the
/// envelope's responseCode (real platforms answer HTTP 200 with an error code), else 0: no readable receipt.
/// </summary>
internal readonly record struct PlatformReply(int HttpStatus, int? ResponseCode, string Message, JsonElement Data, string? TransportProblem)
{
    public int Code => TransportProblem is not null ? 0 : HttpStatus is >= 200 and <= 299 ? ResponseCode ?? 0 : HttpStatus;

    public bool IsSuccess => Code == 200;

    public static PlatformReply Transport(string problem) => new(0, null, problem, default, problem);

    /// <summary>Reads {responseCode, responseMessage, data}; never throws on arbitrary bytes.</summary>
    public static PlatformReply Parse(int httpStatus, ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    return FromEnvelope(httpStatus, document.RootElement);
                }
            }
        }
        catch (JsonException)
        {
        }

        return new PlatformReply(httpStatus, null, $"HTTP {httpStatus} without a platform envelope", default, null);
    }

    /// <summary>One entry of a batch answer's data.results, read like a whole answer.</summary>
    public static PlatformReply FromEnvelope(int httpStatus, JsonElement envelope)
    {
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            return new PlatformReply(httpStatus, null, $"HTTP {httpStatus} without a platform envelope", default, null);
        }

        var code = envelope.TryGetProperty("responseCode", out var codeElement) ? ReadCode(codeElement) : null;
        var message = envelope.TryGetProperty("responseMessage", out var messageElement) && messageElement.ValueKind == JsonValueKind.String
            ? messageElement.GetString() ?? string.Empty
            : $"HTTP {httpStatus}";
        var data = envelope.TryGetProperty("data", out var dataElement) ? dataElement.Clone() : default;
        return new PlatformReply(httpStatus, code, message, data, null);
    }

    /// <summary>data.duplicate == true: the platform already had this record.</summary>
    public bool IsDuplicate =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("duplicate", out var flag) && flag.ValueKind == JsonValueKind.True;

    public string? DataString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>responseCode as a number or a numeric string (both are seen in the wild).</summary>
    private static int? ReadCode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt32(out var number) => number,
        JsonValueKind.String when int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}

/// <summary>
/// Maps an answer to Delivered, Rejected or Retry (table in docs/platform-upload.md). Rejected only where the
/// platform blames the record itself (400, 422); any other refusal (403, 404, 5xx, ...) points at configuration
/// or the platform, so the record is kept for a later resend rather than dropped.
/// </summary>
internal static class OutcomeClassifier
{
    public static UploadOutcome Classify(PlatformReply reply)
    {
        if (reply.TransportProblem is { } problem)
        {
            return UploadOutcome.Retry(0, problem);
        }

        var code = reply.Code;
        return code switch
        {
            200 => UploadOutcome.Delivered(reply.Message, reply.IsDuplicate),
            0 => UploadOutcome.Retry(reply.HttpStatus, $"no receipt: {reply.Message}"),
            401 => UploadOutcome.Retry(code, $"token refused even after renewal: {reply.Message}"),
            409 => UploadOutcome.Retry(code, $"versions refused even after /checkVersion: {reply.Message}"),
            400 or 422 => UploadOutcome.Rejected(code, reply.Message),
            _ => UploadOutcome.Retry(code, reply.Message),
        };
    }
}
