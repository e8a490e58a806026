namespace EdgeMeter.PlatformSim.Api;

/// <summary>
/// Writes the platform's envelope {responseCode, responseMessage, data}. The simulator sends the same code as
/// the HTTP status, so a client may go by either (real platforms are known to answer HTTP 200 with an error code).
/// </summary>
internal static class PlatformReply
{
    /// <summary>Key of HttpContext.Items holding the short note the request log line ends with.</summary>
    public const string NoteKey = "edgemeter.sim.note";

    public static Task WriteAsync(HttpContext context, int code, string message, object? data = null)
    {
        context.Response.StatusCode = code;
        context.Items.TryAdd(NoteKey, message);
        return context.Response.WriteAsJsonAsync(new Envelope(code, message, data), SimJson.Options, context.RequestAborted);
    }

    /// <summary>An error naming the field at fault, in the message ("field: problem") and in data.field.</summary>
    public static Task ErrorAsync(HttpContext context, int code, string field, string message) =>
        WriteAsync(context, code, message, new { field });

    public static void Note(HttpContext context, string note) => context.Items[NoteKey] = note;

    private sealed record Envelope(int ResponseCode, string ResponseMessage, object? Data);
}
