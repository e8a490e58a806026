using EdgeMeter.Core.Commands;

namespace EdgeMeter.Core.Tests.Commands;

/// <summary>When set-time's signed time becomes the clock, and every way a late or stray one is refused.</summary>
public sealed class SignedTimePolicyTests
{
    [Fact]
    public void The_answer_to_the_latest_status_within_a_minute_sets_an_unsynchronized_clock() =>
        Assert.Null(SignedTimePolicy.Refusal(synchronized: false, "41", lastStatus: 41, lastStatusMonotonic: 10_000, nowMonotonic: 69_999));

    [Theory]
    [InlineData(true, "41", 41, 10_000, 11_000, "synchronized already")]
    [InlineData(false, "40", 41, 10_000, 11_000, "not the latest one (41)")]
    [InlineData(false, "41", 0, 0, 11_000, "not the latest one (0)")]
    [InlineData(false, "", 41, 10_000, 11_000, "not the latest one")]
    [InlineData(false, "4x", 41, 10_000, 11_000, "not the latest one")]
    [InlineData(false, "41", 41, 10_000, 70_001, "60001 ms after the status")]
    public void A_late_stray_or_needless_set_time_moves_no_clock(bool synchronized, string answered, long last, long signedAt, long now, string expected) =>
        Assert.Contains(expected, SignedTimePolicy.Refusal(synchronized, answered, last, signedAt, now), StringComparison.Ordinal);
}
