using EdgeMeter.Benchmarks.Support;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Benchmarks.Reports;

/// <summary>
/// Issue 9, part 3, counted exactly: the bytes the gateway core allocates, read from
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around every single poll cycle (after warm-up, so JIT
/// tiering is done) and around every packet signed. The BenchmarkDotNet figures average the same thing over many
/// operations; this report also says how often and how much, so a rare allocation is not hidden in a mean.
/// </summary>
public static class AllocationReport
{
    public static ResultTable Cycles(bool smoke)
    {
        var table = new ResultTable(
            "gateway-allocations",
            "Gateway core: bytes allocated per steady-state poll cycle (issue 9, part 3; counted exactly)",
            "workload", "cycles", "readings/cycle", "requests/cycle", "allocated B/cycle (mean)", "cycles that allocated", "largest B in one cycle", "segments started");
        var cycles = smoke ? 50 : 3000;
        (string Name, int Dlt645, int Modbus, bool Publish)[] workloads =
        [
            ("DL/T 645, 4 meters, poll + store", 4, 0, false),
            ("Modbus, 4 meters, poll + store", 0, 4, false),
            ("DL/T 645, 4 meters, poll + store + publish", 4, 0, true),
            ("Modbus, 4 meters, poll + store + publish", 0, 4, true),
            ("2 DL/T 645 + 2 Modbus, poll + store + publish", 2, 2, true),
        ];
        foreach (var (name, dlt645, modbus, publish) in workloads)
        {
            using var gateway = new BenchGateway(new BenchGatewayOptions { Dlt645Meters = dlt645, ModbusMeters = modbus });
            gateway.RecordThenReplay(cycles: 16);
            for (var i = 0; i < 300; i++)
            {
                Cycle(gateway, publish);
            }

            long total = 0;
            long largest = 0;
            var allocating = 0;
            var segments = gateway.BufferFlash.FilesCreated;
            for (var i = 0; i < cycles; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                Cycle(gateway, publish);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                total += allocated;
                largest = Math.Max(largest, allocated);
                allocating += allocated > 0 ? 1 : 0;
            }

            table.Add(name, cycles, gateway.ReadingsPerCycle, gateway.RequestsPerCycle, (double)total / cycles, allocating, largest,
                gateway.BufferFlash.FilesCreated - segments);
        }

        table.Notes.Add(
            "Poll + store: the masters, the recorder and the flash buffer (the cursor is moved directly, as the uplink would). "
            + "+ publish: the uplink reads the readings back, signs packets of up to 40 readings (platform HMAC), publishes "
            + "and advances the cursor; a status packet is signed every cycle (the status interval equals the poll interval). "
            + "The meters' replies are replayed and the flash is RAM that allocates nothing, so every byte counted is the core's.");
        return table;
    }

    public static ResultTable Packets(bool smoke)
    {
        var table = new ResultTable(
            "packet-allocations",
            "Packet building and signing: bytes allocated per packet (issue 9, part 3; counted exactly, 4 KB packet limit)",
            "readings", "packet bytes", "allocated B/packet, platform HMAC", "allocated B/packet, managed HMAC");
        var now = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var repeats = smoke ? 20 : 2000;
        foreach (var count in new[] { 1, 5, 25 })
        {
            var readings = Enumerable.Range(0, count)
                .Select(i => new PacketReading("000012345678", "p" + i.ToString("00"), now, new FixedDecimal(123456789012 + i, 2), "kWh", ReadingFlags.None) { Sequence = 1_000_000 + i })
                .ToArray();
            var platform = new PacketSigner("gw-0001", 1, key, new DotNetPacketMac(), 4096);
            var managed = new PacketSigner("gw-0001", 1, key, new ManagedPacketMac(), 4096);
            table.Add(count, Sign(platform, readings, now, 1).Length, Measure(platform, readings, now, repeats), Measure(managed, readings, now, repeats));
        }

        return table;
    }

    private static void Cycle(BenchGateway gateway, bool publish)
    {
        if (publish)
        {
            gateway.RunCycle();
            return;
        }

        gateway.Poll();
        var buffer = gateway.Runtime.Buffer;
        buffer.Acknowledge(buffer.CommittedSequence);
    }

    private static double Measure(PacketSigner signer, PacketReading[] readings, DateTime now, int repeats)
    {
        for (var i = 0; i < 100; i++)
        {
            Sign(signer, readings, now, i + 1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < repeats; i++)
        {
            Sign(signer, readings, now, 1000 + i);
        }

        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / repeats;
    }

    private static PacketSigner Sign(PacketSigner signer, PacketReading[] readings, DateTime now, long sequence)
    {
        if (signer.SignReadings(sequence, now, readings, 0, readings.Length) != readings.Length)
        {
            throw new InvalidOperationException("the readings do not fit one packet");
        }

        return signer;
    }
}
