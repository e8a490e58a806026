using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeMeter.PlatformSim;

internal static class SimJson
{
    /// <summary>
    /// camelCase names, as on the platform's wire and in the store file; quotes and Chinese text left readable
    /// (the output is never embedded in HTML).
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
