using System.Globalization;

namespace EdgeMeter.PlatformSim;

/// <summary>Chinese platforms speak Beijing time (UTC+8, no daylight saving) in "yyyy-MM-dd HH:mm:ss" strings.</summary>
internal static class PlatformTime
{
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The "yyyy-MM-dd HH:mm:ss SSS" form the published interface uses for akExpiresIn and akValidAt.</summary>
    public static string FormatWithMilliseconds(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss fff", CultureInfo.InvariantCulture);

    public static bool IsValidDate(string text) =>
        DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
