using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Protocol.Dlt645;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Polling;

/// <summary>The activity LED's source: one report per transaction, retries included.</summary>
public class BusActivityTests
{
    private static readonly DateTime Nine = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void An_answering_meter_reports_one_answer_per_request_its_error_replies_included()
    {
        var clock = new ManualClock(Nine);
        var address = Dlt645Address.Parse("123456789012");
        var link = new ScriptedLink(clock) { Responder = new FakeDlt645Meter(address).Respond };
        var activity = new CountingActivity();
        var session = new Dlt645MeterSession(0, "m", new Dlt645Master(link, clock), address, Dlt645Version.V2007, [0x02010100, 0x00000000], 60, 500, 2, clock)
        {
            Activity = activity,
        };

        session.Poll(new IgnoringSink());

        Assert.Equal((2, 0), (activity.Answered, activity.Failed));
    }

    [Fact]
    public void A_silent_meter_reports_every_attempt_as_failed()
    {
        var clock = new ManualClock(Nine);
        var link = new ScriptedLink(clock) { Responder = (_, _, _) => null };
        var activity = new CountingActivity();
        var session = new Dlt645MeterSession(0, "m", new Dlt645Master(link, clock), Dlt645Address.Parse("000000000099"), Dlt645Version.V2007, [0x02010100], 60, 500, 2, clock)
        {
            Activity = activity,
        };

        session.Poll(new IgnoringSink());

        Assert.Equal((0, 3), (activity.Answered, activity.Failed));
    }

    private sealed class CountingActivity : IBusActivity
    {
        public int Answered { get; private set; }

        public int Failed { get; private set; }

        void IBusActivity.Answered() => Answered++;

        void IBusActivity.Failed() => Failed++;
    }

    private sealed class IgnoringSink : IPointSink
    {
        public void PollStarted(MeterSession meter)
        {
        }

        public void PollCompleted(MeterSession meter)
        {
        }

        public void CycleCompleted()
        {
        }

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value)
        {
        }

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value)
        {
        }

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value)
        {
        }
    }
}
