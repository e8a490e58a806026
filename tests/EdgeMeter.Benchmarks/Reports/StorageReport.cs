using EdgeMeter.Benchmarks.Support;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Polling;
using BufferReading = EdgeMeter.Core.Buffer.Reading;

namespace EdgeMeter.Benchmarks.Reports;

/// <summary>
/// Issue 9, part 5, counted exactly (not timed): the whole gateway core polls simulated DL/T 645 meters (8 points
/// each) for a day at 1-minute or ten days at 15-minute cadence, stores every reading in its flash buffer (RAM,
/// every byte counted), publishes and has them acknowledged. Bytes per stored reading are the segment bytes
/// (frames, CRCs, headers, each segment's absolute first readings); bytes written per reading add the cursor and
/// sequence-number writes; the LittleFS estimate adds, per the model in docs/storage.md, the partly filled block
/// a copy-on-write file system copies after each flush and a 64-byte metadata commit per flush. Side by side: the
/// same readings as CSV lines (meter,point,time,value,unit,quality), what a simple logger would write.
/// </summary>
public static class StorageReport
{
    private const int MetadataCommitBytes = 64;

    public static ResultTable Run(bool smoke)
    {
        var table = new ResultTable(
            "storage",
            "Storage: flash bytes per reading (issue 9, part 5; counted exactly)",
            "points", "cadence", "days", "readings", "stored B/reading", "written B/reading", "write amplification",
            "flushes/reading", "LittleFS est. B/reading", "read back B/reading", "uplink B/reading", "CSV B/reading", "CSV / stored");
        (int Points, int Seconds, int Cycles, int PerPacket)[] scenarios = smoke
            ? [(8, 60, 30, 40)]
            : [(8, 60, 1440, 40), (32, 60, 1440, 40), (128, 60, 1440, 40), (8, 900, 960, 40), (32, 900, 960, 40), (128, 900, 960, 40), (128, 60, 1440, 5)];
        foreach (var (points, seconds, cycles, perPacket) in scenarios)
        {
            var csv = new CsvLineCounter();
            using var gateway = new BenchGateway(new BenchGatewayOptions
            {
                Dlt645Meters = points / 8, ModbusMeters = 0, PollSeconds = seconds, MaxReadingsPerPacket = perPacket, Observer = csv,
            });
            csv.Config = gateway.Config;
            gateway.RunCycle();
            var startReadings = gateway.Runtime.ReadingsTaken;
            gateway.BufferFlash.ResetCounters();
            gateway.StateFlash.ResetCounters();
            csv.Bytes = 0;
            var upBytes = gateway.Transport.UpBytes;
            for (var i = 0; i < cycles; i++)
            {
                gateway.RunCycle();
            }

            double readings = gateway.Runtime.ReadingsTaken - startReadings;
            if (readings != (double)points * cycles || gateway.Runtime.Buffer.Depth > points + gateway.Options.MaxReadingsPerPacket)
            {
                throw new InvalidOperationException($"{points} points x {cycles} cycles stored {readings} readings, {gateway.Runtime.Buffer.Depth} unacknowledged");
            }

            var buffer = gateway.BufferFlash;
            var state = gateway.StateFlash;
            var stored = buffer.SegmentBytesWritten / readings;
            var written = (buffer.BytesWritten + state.BytesWritten) / readings;
            var flushes = buffer.Flushes + state.Flushes;
            var littleFs = (buffer.BytesWritten + state.BytesWritten + buffer.PartialBlockBytesAtFlush + (MetadataCommitBytes * flushes)) / readings;
            var csvPerReading = csv.Bytes / readings;
            table.Add(
                points, (seconds == 60 ? "1 min" : "15 min") + (perPacket == 40 ? "" : $", {perPacket}/packet"), cycles * seconds / 86400.0, (long)readings, stored, written, written / stored,
                flushes / readings, littleFs, buffer.BytesRead / readings, (gateway.Transport.UpBytes - upBytes) / readings, csvPerReading, csvPerReading / stored);
        }

        table.Notes.Add(
            "Meters: the simulator's three-phase DL/T 645-2007 meters, 8 points each (energy, reactive energy, 2 voltages, current, power, "
            + "power factor, frequency). One commit per poll cycle (every meter that was due), one cursor write per acknowledged packet (upload.maxReadingsPerPacket 40, "
            + "of which about 7 fit the default 1 KB packet; the last row: 5, which all fit). "
            + "Write amplification = bytes written / bytes stored. The LittleFS column is a model, not a measurement on a board. "
            + "Read back: segment bytes the uplink reads to publish (ideally the stored bytes once).");
        return table;
    }

    /// <summary>Counts the bytes the committed readings would take as CSV lines.</summary>
    private sealed class CsvLineCounter : IReadingObserver
    {
        private readonly char[] _value = new char[32];

        public GatewayConfig? Config { get; set; }

        public long Bytes { get; set; }

        public void Committed(BufferReading[] readings, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var reading = readings[i];
                var meter = Config!.Meters[reading.Meter];
                var point = meter.Points[reading.Point];
                var value = reading.Value.WriteTo(_value, 0);
                var quality = reading.Quality == EdgeMeter.Core.Buffer.ReadingQuality.Good ? "" : "time-unsync";

                // meter,point,2026-03-02T00:00:00Z,value,unit,quality\n
                Bytes += meter.Id.Length + 1 + point.Id.Length + 1 + 20 + 1 + value + 1 + point.Unit.Length + 1 + quality.Length + 1;
            }
        }
    }
}
