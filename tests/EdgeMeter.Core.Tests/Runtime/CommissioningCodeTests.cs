using EdgeMeter.Core.Runtime;

namespace EdgeMeter.Core.Tests.Runtime;

/// <summary>The run LED's code on site: the first failing commissioning step, blinked that many times.</summary>
public class CommissioningCodeTests
{
    [Theory]
    [InlineData(4, 4, true, true, true, CommissioningCode.NoMeterAnswers)]
    [InlineData(4, 1, false, false, false, CommissioningCode.SomeMetersSilent)]
    [InlineData(4, 0, false, false, false, CommissioningCode.NoNetwork)]
    [InlineData(4, 0, true, false, false, CommissioningCode.NoBroker)]
    [InlineData(4, 0, true, true, false, CommissioningCode.ClockNotSynchronized)]
    [InlineData(4, 0, true, true, true, CommissioningCode.Working)]
    [InlineData(0, 0, true, true, true, CommissioningCode.Working)]
    public void The_first_failing_step_in_the_technicians_order_is_shown(int meters, int offline, bool network, bool broker, bool clock, int expected) =>
        Assert.Equal(expected, CommissioningCode.Of(meters, offline, network, broker, clock));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_code_is_that_many_blinks_then_a_pause(int code)
    {
        var cycle = (code * CommissioningCode.BlinkMilliseconds) + CommissioningCode.PauseMilliseconds;
        var lit = Enumerable.Range(0, cycle / 10).Select(i => CommissioningCode.IsLit(code, 1_000_000L * cycle + (i * 10))).ToArray();

        var blinks = lit.Zip(lit.Skip(1), (a, b) => !a && b).Count(rise => rise) + (lit[0] ? 1 : 0);
        Assert.Equal(code, blinks);
        Assert.All(lit[(code * CommissioningCode.BlinkMilliseconds / 10)..], on => Assert.False(on)); // the pause
    }

    [Fact]
    public void Working_is_steady_on() =>
        Assert.All(Enumerable.Range(0, 1000), ms => Assert.True(CommissioningCode.IsLit(CommissioningCode.Working, ms * 7L)));
}
