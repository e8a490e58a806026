using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Tests.Receiver.WebConsole;

/// <summary>The console's pages as HTML: Beijing time, both languages, everything from outside escaped.</summary>
public class ConsolePagesTests
{
    private static readonly ConsoleSession Session = new("id", new ConsoleUser("viewer-1", ConsoleRole.Viewer, "hash"), "csrf-token", DateTimeOffset.MaxValue);

    [Fact]
    public void A_pushed_message_is_shown_in_beijing_time_and_escaped()
    {
        var page = ConsolePages.Messages("zh", Session, [new MessageRow("2026-12-05T16:30:00Z", "provincial", "svc.yn", "<script>alert(1)</script> 请于月底前补报", "gw-0001: command 7")]);

        Assert.Contains("2026-12-06 00:30:00", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; 请于月底前补报", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("<th>内容</th>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"csrf-token\"", page, StringComparison.Ordinal); // the sign-out form carries the session's token
    }

    [Fact]
    public void A_dead_letter_shows_the_platforms_code_and_reason()
    {
        var letter = new DeadLetterView(3, "provincial", "indicators", 12, null, 422, "dataCode not registered", "2026-12-05T01:00:00Z", "dead", 1, null, null, "000000000112000001 day 2026-12-04");

        var page = ConsolePages.Platforms("en", Session, [new TierRow("provincial", 2, 5, new TimeSpan(3, 5, 0), 1, "gw-0001: HTTP 503", new DateTime(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc), 7)], [letter]);

        Assert.Contains("<td>422 dataCode not registered</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>2026-12-05 09:00:00</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>gw-0001: HTTP 503</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>5</td><td>3 h 5 min</td><td>2026-12-05 10:00:00</td><td>7</td>", page, StringComparison.Ordinal); // lag in rows and time, last success, retries
    }

    [Theory]
    [InlineData(40, "en", "40 s")]
    [InlineData(12 * 60 + 59, "en", "12 min")]
    [InlineData(3 * 3600 + 5 * 60, "zh", "3 小时 5 分钟")]
    [InlineData(2 * 86400 + 4 * 3600 + 30, "en", "2 d 4 h")]
    public void A_wait_reads_in_whole_units(int seconds, string language, string expected) =>
        Assert.Equal(expected, ConsolePages.Duration(TimeSpan.FromSeconds(seconds), language));

    [Theory]
    [InlineData(null, "zh-CN,zh;q=0.9,en;q=0.8", "zh")]
    [InlineData(null, "en-US,en;q=0.9", "en")]
    [InlineData("en", "zh-CN", "en")]
    [InlineData(null, null, "en")]
    public void The_language_is_the_choice_made_else_the_browsers(string? cookie, string? accept, string expected) =>
        Assert.Equal(expected, ConsoleText.LanguageOf(cookie, accept));
}
