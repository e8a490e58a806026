using System.Globalization;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// The platforms speak Beijing time (UTC+8, no daylight saving) as "yyyy-MM-dd HH:mm:ss" wall-clock strings;
/// a <see cref="DateTime"/> in this namespace that feeds statDate or uploadDate holds that wall-clock time.
/// </summary>
public static class PlatformTime
{
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>The Beijing wall-clock time of a UTC instant (an Unspecified kind is taken as UTC).</summary>
    public static DateTime FromUtc(DateTime utc) =>
        DateTime.SpecifyKind(DateTime.SpecifyKind(utc, DateTimeKind.Utc) + BeijingOffset, DateTimeKind.Unspecified);

    public static DateTime Now(TimeProvider time) => FromUtc(time.GetUtcNow().UtcDateTime);

    public static string Format(DateTime platformTime) => platformTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads an instant the platform sent (akExpiresIn, akValidAt): "yyyy-MM-dd HH:mm:ss[ SSS]" or
    /// "yyyy-MM-dd HH:mm" in Beijing time. Returns null for anything else.
    /// </summary>
    public static DateTimeOffset? ParseInstant(string? text)
    {
        string[] formats = ["yyyy-MM-dd HH:mm:ss fff", "yyyy-MM-dd HH:mm:ss.fff", DateFormat, "yyyy-MM-dd HH:mm"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock)
            ? new DateTimeOffset(wallClock, BeijingOffset)
            : null;
    }
}
