using EdgeMeter.Receiver.Tests.Relay.Http;
using EdgeMeter.Receiver.WebConsole;

namespace EdgeMeter.Receiver.Tests.Receiver.WebConsole;

/// <summary>Password guessing at the console slows down per user name and per address, and the window lets go again.</summary>
public sealed class SignInThrottleTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Five_wrong_passwords_for_a_name_hold_it_for_the_window_from_any_address_and_only_the_first_refusal_is_reported()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < SignInThrottle.MaxFailuresPerUser; i++)
        {
            Assert.Null(throttle.RetryAfter("10.0.0.1", "op").Wait);
            throttle.Failed("10.0.0.1", "op");
            _time.Now += TimeSpan.FromMinutes(1);
        }

        var first = throttle.RetryAfter("10.0.0.2", "op");
        var second = throttle.RetryAfter("10.0.0.2", "op");

        Assert.Equal((TimeSpan.FromMinutes(10), true), first); // the first failure, 5 minutes ago, leaves the window in 10
        Assert.Equal((TimeSpan.FromMinutes(10), false), second);
        Assert.Null(throttle.RetryAfter("10.0.0.1", "viewer").Wait); // another name from the same address may still try
        _time.Now += TimeSpan.FromMinutes(10);
        Assert.Null(throttle.RetryAfter("10.0.0.2", "op").Wait);
    }

    [Fact]
    public void Twenty_wrong_passwords_from_one_address_hold_every_name_from_it()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++)
        {
            throttle.Failed("10.0.0.9", $"name-{i}");
        }

        Assert.NotNull(throttle.RetryAfter("10.0.0.9", "someone-new").Wait);
        Assert.Null(throttle.RetryAfter("10.0.0.10", "someone-new").Wait);
    }
}
