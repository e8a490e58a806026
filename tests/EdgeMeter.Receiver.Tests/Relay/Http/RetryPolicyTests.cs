using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Tests.Relay.Http;

public class RetryPolicyTests
{
    [Fact]
    public void The_base_delay_doubles_until_the_cap()
    {
        var policy = new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), random: new Random(1));

        var seconds = Enumerable.Range(1, 8).Select(a => policy.BaseDelay(a).TotalSeconds);

        Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 60, 60 }, seconds);
    }

    [Fact]
    public void Very_late_attempts_stay_at_the_cap()
    {
        var policy = RetryPolicy.CreateDefault(new Random(1));

        Assert.Equal(TimeSpan.FromMinutes(5), policy.BaseDelay(100_000));
        Assert.InRange(policy.NextDelay(int.MaxValue), TimeSpan.FromMinutes(2.5), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Jittered_delays_stay_within_their_band_and_spread_out()
    {
        var policy = new RetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), multiplier: 3, jitter: 0.4, random: new Random(2024));

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = policy.BaseDelay(attempt);
            var draws = Enumerable.Range(0, 200).Select(_ => policy.NextDelay(attempt)).ToArray();
            Assert.All(draws, d => Assert.True(d > ceiling * 0.6 && d <= ceiling, $"attempt {attempt}: {d} outside ({ceiling * 0.6}, {ceiling}]"));
            Assert.True(draws.Distinct().Count() > 150, $"attempt {attempt}: jitter barely varies");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        static TimeSpan[] Run(int seed)
        {
            var policy = RetryPolicy.CreateDefault(new Random(seed));
            return Enumerable.Range(1, 20).Select(policy.NextDelay).ToArray();
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Zero_jitter_gives_the_base_delay()
    {
        var policy = new RetryPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), jitter: 0);

        Assert.Equal(new[] { 2.0, 4, 8, 10 }, Enumerable.Range(1, 4).Select(a => policy.NextDelay(a).TotalSeconds));
    }

    [Fact]
    public void Nonsense_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), multiplier: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), jitter: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.CreateDefault().BaseDelay(0));
    }
}
