using EdgeMeter.Core.Buffer;
using static EdgeMeter.Core.Tests.Buffer.BufferTestKit;

namespace EdgeMeter.Core.Tests.Buffer;

/// <summary>
/// Long random workloads on a <see cref="SimulatedFlash"/> that loses power. Two ways: at every I/O call the whole
/// flash is forked, power fails on the copy (LittleFS-style and torn-prefix-style) and the copy is reopened and
/// checked while the original run goes on; and a run that really crashes at random calls (also during recovery),
/// recovers, is checked and carries on. The check: every committed reading after the cursor is present exactly
/// once, intact and in order; nothing else is; the cursor never went backwards; a cursor that moved without an
/// acknowledgement moved exactly over dropped readings; the files fit the budget.
/// </summary>
public class PowerLossTests(ITestOutputHelper output)
{
    private enum Op
    {
        None,
        Open,
        Append,
        Commit,
        Read,
        Acknowledge,
    }

    [Theory]
    [InlineData(1, 64, 900)]
    [InlineData(2, 3, 600)]
    public void Power_lost_at_every_io_call_keeps_every_committed_reading(int seed, int maxSeries, int steps)
    {
        var options = SmallOptions(maxSeries);
        var flash = new SimulatedFlash { Random = new Random(seed) };
        var model = new Model();
        var crashRandom = new Random(seed * 31);
        var forks = 0;
        flash.BeforeIo = () =>
        {
            forks++;
            var littleFs = flash.Clone();
            littleFs.PowerLoss(PowerLossMode.DropUnflushed, crashRandom);
            CheckRecovered(littleFs, options, model);

            var pc = flash.Clone();
            pc.PowerLoss(crashRandom.Next(2) == 0 ? PowerLossMode.TornPrefix : PowerLossMode.TornPrefixWithJunk, crashRandom);
            CheckRecovered(pc, options, model);
        };

        var workload = new Workload(new Random(seed), options, model);
        workload.OpenBuffer(flash);
        for (var step = 0; step < steps; step++)
        {
            workload.Step(flash);
        }

        output.WriteLine($"{forks} power cuts checked; {workload.Summary()}");
        workload.AssertCovered();
        Assert.True(forks > 1000);
    }

    [Theory]
    [InlineData(3, 64)]
    [InlineData(4, 4)]
    public void Repeated_real_power_cuts_including_during_recovery_keep_every_committed_reading(int seed, int maxSeries)
    {
        var options = SmallOptions(maxSeries);
        var random = new Random(seed);
        var flash = new SimulatedFlash { Random = new Random(seed + 1) };
        var model = new Model();
        var workload = new Workload(new Random(seed + 2), options, model);
        var cuts = 0;
        var cutsDuringRecovery = 0;
        workload.OpenBuffer(flash);
        for (var step = 0; step < 2500; step++)
        {
            if (flash.CutAtCall <= flash.IoCalls)
            {
                flash.CutAtCall = flash.IoCalls + random.Next(1, 60);
            }

            try
            {
                workload.Step(flash);
            }
            catch (PowerCutException)
            {
                cuts++;
                while (true)
                {
                    flash.PowerLoss((PowerLossMode)random.Next(3), random);
                    if (random.Next(3) == 0)
                    {
                        flash.CutAtCall = flash.IoCalls + random.Next(1, 5);
                    }

                    try
                    {
                        workload.OpenBuffer(flash, Op.None);
                        break;
                    }
                    catch (PowerCutException)
                    {
                        cutsDuringRecovery++;
                    }
                }

                CheckRecovered(workload.Buffer, flash, options, model);
                workload.Observe();
            }
        }

        output.WriteLine($"{cuts} power cuts, {cutsDuringRecovery} during recovery; {workload.Summary()}");
        workload.AssertCovered();
        Assert.True(cuts > 100);
        Assert.True(cutsDuringRecovery > 5);
    }

    private static void CheckRecovered(SimulatedFlash crashed, BufferOptions options, Model model)
    {
        using var buffer = ReadingBuffer.Open(crashed, options);
        CheckRecovered(buffer, crashed, options, model);
    }

    private static void CheckRecovered(ReadingBuffer buffer, SimulatedFlash flash, BufferOptions options, Model model)
    {
        var cursor = buffer.AcknowledgedThrough;
        var dropped = buffer.Dropped;
        Assert.True(cursor >= model.Cursor, $"cursor went back from {model.Cursor} to {cursor}");
        if (cursor != model.Cursor || dropped != model.Dropped)
        {
            switch (model.InFlight)
            {
                case Op.Acknowledge:
                    Assert.Equal(model.Dropped, dropped);
                    Assert.Equal(model.InFlightAcknowledgement, cursor);
                    break;
                case Op.Append:
                case Op.Commit:
                    Assert.Equal(cursor - model.Cursor, dropped - model.Dropped);
                    break;
                default:
                    Assert.Fail($"cursor/dropped changed from {model.Cursor}/{model.Dropped} to {cursor}/{dropped} during {model.InFlight}");
                    break;
            }
        }

        var read = ReadAll(buffer, batch: 64);
        var expected = cursor + 1;
        foreach (var reading in read)
        {
            Assert.Equal(expected++, reading.Sequence);
            Assert.True(reading.Sequence <= model.LastAppended, $"reading {reading.Sequence} was never appended");
            AssertSame(model.Appended[reading.Sequence], reading);
        }

        var last = expected - 1;
        Assert.True(last >= model.Committed, $"committed readings {last + 1}..{model.Committed} lost");
        Assert.Equal(last, buffer.LastSequence);
        Assert.Equal(0, buffer.Corrupted);
        Assert.InRange(buffer.BytesUsed, 0, options.Budget);
        Assert.InRange(flash.AllocatedBytes(options.AllocationUnit), 0, options.Budget);
    }

    private sealed class Model
    {
        public Dictionary<long, Reading> Appended { get; } = [];

        public long LastAppended { get; set; }

        public long Committed { get; set; }

        public long Cursor { get; set; }

        public long Dropped { get; set; }

        public Op InFlight { get; set; }

        public long InFlightAcknowledgement { get; set; }
    }

    /// <summary>A gateway's poller and uplink in one random sequence of calls, keeping the model in step.</summary>
    private sealed class Workload(Random random, BufferOptions options, Model model)
    {
        private readonly (int Meter, int Point, int Scale)[] _series = Enumerable.Range(0, 10)
            .Select(i => (i / 3, (i * 7) % 11, i % 5)).ToArray();
        private readonly long[] _values = new long[10];
        private long _time = Start.Ticks / TimeSpan.TicksPerMillisecond;
        private long _lastRead;
        private int _appends;
        private int _acknowledgements;
        private int _reopens;
        private int _maxSegments;
        private bool _uplinkOnline = true;

        public ReadingBuffer Buffer { get; private set; } = null!;

        public void OpenBuffer(SimulatedFlash flash, Op op = Op.Open)
        {
            model.InFlight = op == Op.None ? model.InFlight : op;
            Buffer = ReadingBuffer.Open(flash, options);
            if (op != Op.None)
            {
                Observe();
            }
        }

        public void Step(SimulatedFlash flash)
        {
            if (random.Next(40) == 0)
            {
                // The network comes and goes: while it is down nothing is acknowledged and the budget fills.
                _uplinkOnline = !_uplinkOnline;
            }

            var choice = random.Next(100);
            if (choice < 55)
            {
                AppendCycle();
            }
            else if (choice < 88)
            {
                if (_uplinkOnline)
                {
                    ReadAndAcknowledge();
                }
            }
            else if (choice < 91)
            {
                Buffer.Dispose();
                _reopens++;
                OpenBuffer(flash);
            }

            Assert.InRange(flash.AllocatedBytes(options.AllocationUnit), 0, options.Budget);
            _maxSegments = Math.Max(_maxSegments, Buffer.SegmentCount);
        }

        /// <summary>Takes over the buffer's state after a returned call (or a recovery).</summary>
        public void Observe()
        {
            Assert.True(Buffer.AcknowledgedThrough >= model.Cursor);
            Assert.True(Buffer.Dropped >= model.Dropped);
            Assert.InRange(Buffer.BytesUsed, 0, options.Budget);
            model.Cursor = Buffer.AcknowledgedThrough;
            model.Dropped = Buffer.Dropped;
            model.Committed = Buffer.CommittedSequence;
            model.LastAppended = Buffer.LastSequence;
            model.InFlight = Op.None;
            _lastRead = Math.Max(_lastRead, model.Cursor);
            _lastRead = Math.Min(_lastRead, model.Committed);
        }

        public string Summary() =>
            $"{_appends} readings appended, {_acknowledgements} acknowledgements, {_reopens} clean reopens, " +
            $"up to {_maxSegments} segments, {model.Dropped} dropped, last sequence {model.LastAppended}";

        public void AssertCovered()
        {
            Assert.True(model.Dropped > 0, "the workload never filled the budget");
            Assert.True(_maxSegments >= 4, "the workload never rolled segments");
            Assert.True(_acknowledgements > 20);
        }

        private void AppendCycle()
        {
            _time += random.Next(10) == 0 ? random.Next(-100_000, 10_000_000) : 60_000;
            var count = random.Next(1, 11);
            for (var i = 0; i < count; i++)
            {
                var s = random.Next(_series.Length);
                _values[s] += random.Next(20) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.Next(-50, 400);
                var quality = random.Next(30) == 0 ? ReadingQuality.MeterError : ReadingQuality.Good;
                var reading = Make(_series[s].Meter, _series[s].Point, Ms(_time + (i * 250)), _values[s], _series[s].Scale, quality);
                model.InFlight = Op.Append;
                var sequence = Buffer.Append(ref reading);
                Assert.Equal(model.LastAppended + 1, sequence);
                model.Appended[sequence] = reading;
                _appends++;
                Observe();
            }

            if (random.Next(100) < 85)
            {
                model.InFlight = Op.Commit;
                Buffer.Commit();
                Observe();
                Assert.Equal(model.LastAppended, model.Committed);
            }
        }

        private void ReadAndAcknowledge()
        {
            var batch = new Reading[random.Next(1, 25)];
            var from = random.Next(2) == 0 ? model.Cursor + 1 : _lastRead + 1;
            model.InFlight = Op.Read;
            var n = Buffer.Read(from, batch);
            Observe();
            var expected = Math.Max(from, model.Cursor + 1);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(expected + i, batch[i].Sequence);
                AssertSame(model.Appended[batch[i].Sequence], batch[i]);
            }

            Assert.Equal(Math.Min(batch.Length, Math.Max(0, model.Committed - expected + 1)), n);
            if (n == 0)
            {
                return;
            }

            _lastRead = batch[n - 1].Sequence;
            if (random.Next(100) < 60)
            {
                var acknowledge = random.Next(4) == 0 ? batch[random.Next(n)].Sequence : _lastRead;
                model.InFlight = Op.Acknowledge;
                model.InFlightAcknowledgement = acknowledge;
                Buffer.Acknowledge(acknowledge);
                _acknowledgements++;
                Observe();
                Assert.Equal(Math.Max(acknowledge, model.Cursor), model.Cursor);
            }
        }
    }
}
