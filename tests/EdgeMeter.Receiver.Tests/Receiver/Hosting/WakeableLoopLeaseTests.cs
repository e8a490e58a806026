using EdgeMeter.Receiver.Hosting;
using EdgeMeter.Receiver.Store;
using EdgeMeter.TestSupport;

namespace EdgeMeter.Receiver.Tests.Receiver.Hosting;

/// <summary>A background loop under a work lease: no pass without it, and its position read again each new term.</summary>
public sealed class WakeableLoopLeaseTests
{
    [Fact]
    public async Task Passes_run_only_while_the_lease_is_held_and_each_new_term_resumes_first()
    {
        var lease = new TestLease();
        var events = new List<string>();
        var passes = 0;
        await using var loop = new WakeableLoop(
            _ =>
            {
                lock (events)
                {
                    events.Add("pass");
                }

                Interlocked.Increment(ref passes);
                return Task.FromResult(TimeSpan.FromMinutes(10));
            },
            lease: lease,
            resume: () =>
            {
                lock (events)
                {
                    events.Add($"resume {lease.Term}");
                }
            });
        loop.Start();
        await Task.Delay(3 * WakeableLoop.LeaseWait / 2, TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref passes));

        lease.Take();
        await Eventually.Until(() => Volatile.Read(ref passes) >= 1, "a pass once the lease is taken");
        lease.Lose();
        lease.Take();
        await Eventually.Until(() => Last(events) == "pass" && events.Contains("resume 2"), "a pass in the second term");

        // Wakes may add passes within a term; a term's resume always comes before its first pass, once.
        lock (events)
        {
            Assert.Equal(["resume 1", "pass", "resume 2", "pass"], events.Where((e, i) => i == 0 || e != events[i - 1]));
        }
    }

    private static string? Last(List<string> events)
    {
        lock (events)
        {
            return events.LastOrDefault();
        }
    }

    private sealed class TestLease : WorkLease
    {
        private volatile bool _held;
        private long _term;

        public override bool IsHeld => _held;

        public override long Term => Interlocked.Read(ref _term);

        public void Take()
        {
            Interlocked.Increment(ref _term);
            _held = true;
            OnTaken();
        }

        public void Lose() => _held = false;
    }
}
