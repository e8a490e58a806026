using EdgeMeter.Benchmarks.Support;
using EdgeMeter.Core.Config;

namespace EdgeMeter.Benchmarks.Reports;

/// <summary>
/// Issue 20, part 4: what the gateway core keeps alive on a board's ~100 KB heap, and the most it allocates and
/// drops at once. The whole core (<see cref="BenchGateway"/>) starts and runs one full poll cycle; then every object
/// reachable from its runtime, the platform's flash, broker and meter link excepted, is counted as .NET lays it out
/// and as nanoFramework's CLR would (<see cref="NanoHeap"/>). Transients are the bytes allocated per steady cycle,
/// counted exactly: no single allocation in a cycle can be larger.
/// </summary>
public static class HeapReport
{
    public sealed record HeapFigures(
        int Meters, int PointsPerMeter, int Buses, int Objects, long DotNetBytes, long NanoBytes, long StartUpAllocated, long LargestCycleAllocation,
        IReadOnlyList<(string Type, int Objects, long NanoBytes)> LargestTypes, IReadOnlyList<(string Path, long NanoBytes)> LargestObjects,
        IReadOnlyList<(string Path, long NanoBytes)> LargestParts);

    /// <param name="modbus">Modbus meters (the bench's 8 float32 points each, <paramref name="pointsPerMeter"/> ignored) instead of DL/T 645.</param>
    public static HeapFigures Measure(int meters, int pointsPerMeter, int buses, int steadyCycles, bool modbus = false)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var gateway = new BenchGateway(new BenchGatewayOptions
        {
            Dlt645Meters = modbus ? 0 : meters, ModbusMeters = modbus ? meters : 0, Dlt645PointsPerMeter = pointsPerMeter, Buses = buses, PollSeconds = 60,
            BufferBudgetBytes = 160 * 1024,
        });
        gateway.RunCycle();
        var startUp = GC.GetAllocatedBytesForCurrentThread() - before;
        var graph = RetainedGraph.Walk(gateway.Runtime, IsPlatform);

        // The simulator answers once; the cycles measured replay its replies, so what allocates is the core alone.
        gateway.RecordThenReplay(cycles: 4);
        gateway.BufferFlash.Reserve(16); // new segments come from the pool: a board's flash is not its heap
        long largest = 0;
        for (var i = 0; i < steadyCycles; i++)
        {
            var start = GC.GetAllocatedBytesForCurrentThread();
            gateway.RunCycle();
            largest = Math.Max(largest, GC.GetAllocatedBytesForCurrentThread() - start);
        }

        return new HeapFigures(meters, modbus ? BenchGateway.ModbusPoints.Length : pointsPerMeter, buses, graph.Objects, graph.DotNetBytes, graph.NanoBytes, startUp, largest, [.. graph.LargestTypes(1000)], [.. graph.LargestObjects(10)], [.. graph.ByComponent(3).Take(10)]);
    }

    /// <summary>What the board's platform provides, not the core: the walk does not count or enter it.</summary>
    public static bool IsPlatform(Type type)
    {
        var space = type.Namespace ?? "";
        return (space.StartsWith("EdgeMeter.", StringComparison.Ordinal) && !space.StartsWith("EdgeMeter.Core", StringComparison.Ordinal))
            || typeof(Delegate).IsAssignableFrom(type) || typeof(Thread).IsAssignableFrom(type) || typeof(Type).IsAssignableFrom(type)
            || typeof(System.Reflection.MemberInfo).IsAssignableFrom(type);
    }

    public static ResultTable Run(bool smoke)
    {
        var table = new ResultTable(
            "heap",
            "The gateway core's heap: retained after start-up and one full cycle, and the most allocated in a steady cycle (issue 20, part 4)",
            "meters x points, buses", "objects", "retained B (.NET, 64-bit)", "retained B (nanoFramework model)", "largest B allocated in a steady cycle");
        var cycles = smoke ? 3 : 50;
        var shapes = new[] { (16, 16, 2), (16, 8, 2), (8, 16, 2), (1, 1, 1) };
        var figures = new List<HeapFigures>();
        foreach (var (meters, points, buses) in shapes)
        {
            var f = Measure(meters, points, buses, cycles);
            figures.Add(f);
            table.Add($"{meters} x {points}, {buses}", f.Objects, f.DotNetBytes, f.NanoBytes, f.LargestCycleAllocation);
        }

        var modbusMeters = Measure(16, 0, 2, cycles, modbus: true);
        table.Add($"16 x {modbusMeters.PointsPerMeter}, 2, Modbus RTU", modbusMeters.Objects, modbusMeters.DotNetBytes, modbusMeters.NanoBytes, modbusMeters.LargestCycleAllocation);
        var (perMeter, perPoint, fixedBytes) = Shares(figures[0], figures[1], figures[2]);
        table.Notes.Add($"Target: <= 40 KB retained for 16 meters x 16 points on two buses, and no transient above 4 KB. nanoFramework model: {fixedBytes:N0} B fixed + {perMeter:N0} B per meter + {perPoint:N0} B per point.");
        table.Notes.Add("Largest types (16 x 16): " + string.Join(", ", figures[0].LargestTypes.Take(8).Select(t => $"{t.Type} x{t.Objects} {t.NanoBytes:N0} B")));
        table.Notes.Add("Largest types (16 Modbus meters): " + string.Join(", ", modbusMeters.LargestTypes.Take(8).Select(t => $"{t.Type} x{t.Objects} {t.NanoBytes:N0} B")));
        table.Notes.Add("Largest parts (16 x 16, everything under a field of a field of the runtime): " + string.Join(", ", figures[0].LargestParts.Select(o => $"{o.Path} {o.NanoBytes:N0} B")));
        table.Notes.Add("Largest objects (16 x 16): " + string.Join(", ", figures[0].LargestObjects.Select(o => $"{o.Path} {o.NanoBytes:N0} B")));
        foreach (var bytes in new[] { 1024, 2048 })
        {
            var command = CommandVerifier(bytes);
            table.Notes.Add($"A command of up to {bytes:N0} bytes, while it is handled: a verifier of {command.NanoBytes:N0} B (nanoFramework model) in {command.Objects} objects, the largest {command.LargestNanoBytes:N0} B ({command.Largest}); freed after the reply.");
        }

        var config = ConfigParse(16, 16, 2);
        table.Notes.Add($"Start-up, the configuration of 16 x 16 ({config.Bytes:N0} bytes, {config.Tokens:N0} tokens, {config.Text:N0} characters of text): reading it allocates {config.DotNetAllocated:N0} B on .NET. On a board it is read a meter at a time: the file without its meters and one meter, with their parsers, {config.Reader:N0} B (whole, as a file that cannot be split is read: {config.Whole:N0} B), beside the configuration being built, {config.Configuration:N0} B. The largest single allocation while it is read: {config.LargestNanoBytes:N0} B ({config.Largest}).");
        var startUp = StartUp(16, 16, 2);
        table.Notes.Add($"Start-up's peak, 16 x 16: then the runtime ({startUp.Runtime:N0} B as built, before its first cycle) is built from the configuration ({startUp.Configuration:N0} B). A board lets each meter's points go once its session is built: at most {startUp.Peak:N0} B alive at once ({(startUp.PeakStep == 16 ? "once the runtime is whole, beside what is left of the configuration" : $"while session {startUp.PeakStep} of 16 is built")}; an upper bound); with the points kept until the end, as the PC tools keep them, {startUp.Kept:N0} B. All freed before the first poll but the runtime.");
        return table;
    }

    /// <summary>Start-up's peak, nanoFramework bytes: the configuration and the runtime alive at once while the runtime is built.</summary>
    /// <param name="Peak">The most alive at any step when each meter's points are let go once its session is built (a board).</param>
    /// <param name="PeakStep">The session being built at that peak (its number in build order, from 0), or the meter count after the last.</param>
    /// <param name="Kept">The same with the configuration's points kept until the runtime is built (the PC tools).</param>
    public sealed record StartUpCost(long Peak, int PeakStep, long Kept, long Configuration, long Runtime);

    /// <summary>
    /// Start-up's peak while the runtime is built from the configuration (<see cref="EdgeMeter.Core.Runtime.GatewayRuntime"/>:
    /// the point directory, then the meters bus by bus, then the reading buffer, the pollers and the uplink). Before
    /// session k is built the points of sessions 0..k-1 have been let go; session k's are held while it is built. So at
    /// step k the configuration, the configured points from session k on and the runtime are alive, except the sessions
    /// after k, the buffer and the uplink (and what only they hold). At the last step everything but the let-go points is.
    /// The pollers and recorders are counted from the first step on, which makes each figure an upper bound.
    /// </summary>
    public static StartUpCost StartUp(int meters, int pointsPerMeter, int buses)
    {
        using var gateway = new BenchGateway(new BenchGatewayOptions
        {
            Dlt645Meters = meters, ModbusMeters = 0, Dlt645PointsPerMeter = pointsPerMeter, Buses = buses, PollSeconds = 60,
            BufferBudgetBytes = 160 * 1024, ReleaseMeterPoints = true,
        });
        var runtime = gateway.Runtime;
        var sessions = Enumerable.Range(0, runtime.Buses.Count)
            .SelectMany(b => Enumerable.Range(0, runtime.Buses.GetPoller(b).MeterCount).Select(i => runtime.Buses.GetPoller(b).GetMeter(i)))
            .ToList();
        long Alive(int step) => RetainedGraph.Walk(
            [gateway.Config, runtime, .. sessions.Skip(step).Select(s => (object)gateway.ConfiguredPoints[s.MeterIndex])],
            IsPlatform,
            step == sessions.Count ? [] : [runtime.Buffer, runtime.Uplink, .. sessions.Skip(step + 1)]).NanoBytes;

        var steps = Enumerable.Range(0, sessions.Count + 1).Select(step => (Step: step, Bytes: Alive(step))).ToList();
        var peak = steps.MaxBy(s => s.Bytes);
        return new StartUpCost(
            peak.Bytes, peak.Step, RetainedGraph.Walk([gateway.Config, runtime, .. gateway.ConfiguredPoints], IsPlatform, []).NanoBytes,
            RetainedGraph.Walk([gateway.Config, .. gateway.ConfiguredPoints], IsPlatform, []).NanoBytes, RetainedGraph.Walk(runtime, IsPlatform).NanoBytes);
    }

    /// <summary>
    /// What a command costs while it is handled: the verifier <see cref="EdgeMeter.Core.Commands.CommandProcessor"/>
    /// makes for a command of <paramref name="packetBytes"/> (the gateway's key and HMAC are not part of it).
    /// </summary>
    public static (long NanoBytes, int Objects, string Largest, long LargestNanoBytes) CommandVerifier(int packetBytes)
    {
        var verifier = new EdgeMeter.Core.Packet.PacketVerifier(
            new EdgeMeter.Core.Keys.SingleKeyStore(new byte[32]), new EdgeMeter.Common.Crypto.DotNetPacketMac(), packetBytes,
            EdgeMeter.Core.Packet.PacketLimits.MaxCommandTokens);
        var graph = RetainedGraph.Walk(verifier, type => IsPlatform(type) || typeof(EdgeMeter.Core.Keys.IPacketKeyStore).IsAssignableFrom(type));
        var (path, bytes) = graph.LargestObjects(1).Single();
        return (graph.NanoBytes, graph.Objects, path, bytes);
    }

    /// <summary>What reading the configuration file of a gateway of this shape costs on a board (all freed after start-up).</summary>
    /// <param name="Reader">Alive while the file is read a meter at a time: the split, the file without its meters and
    /// that part's parser, and the largest meter's bytes and parser.</param>
    /// <param name="Whole">The same for the file read whole (a file that cannot be split): its bytes and parser.</param>
    /// <param name="Configuration">The configuration read, alive until the runtime is built from it.</param>
    /// <param name="Largest">The largest single allocation while the file is read a meter at a time, and what it is.</param>
    public sealed record ConfigCost(
        int Bytes, int Tokens, int Text, long DotNetAllocated, long Reader, long Whole, long Configuration, string Largest, long LargestNanoBytes);

    public static ConfigCost ConfigParse(int meters, int pointsPerMeter, int buses)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(BenchGateway.ConfigJson(new BenchGatewayOptions
        {
            Dlt645Meters = meters, ModbusMeters = 0, Dlt645PointsPerMeter = pointsPerMeter, Buses = buses,
        }));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var config = GatewayConfigReader.Read(json, json.Length, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // What GatewayConfigReader holds at once while it reads the largest meter, made again here to be walked.
        var source = new ArrayByteSource(json, json.Length);
        var split = MetersSplit.Find(source) ?? throw new InvalidOperationException("the bench's configuration was not split");
        var skeleton = new byte[json.Length - (split.InnerEnd - split.InnerStart)];
        source.Read(0, skeleton, 0, split.InnerStart);
        source.Read(split.InnerEnd, skeleton, split.InnerStart, json.Length - split.InnerEnd);
        var largestMeter = Enumerable.Range(0, split.Count).MaxBy(i => split.End(i) - split.Start(i));
        var meter = json[split.Start(largestMeter)..split.End(largestMeter)];
        var pieces = new[] { Parsed(skeleton), Parsed(meter) };
        var graphs = pieces.Select(reader => RetainedGraph.Walk(reader, _ => false)).Append(RetainedGraph.Walk(split, _ => false)).ToList();
        var whole = RetainedGraph.Walk(Parsed(json), _ => false);
        var configGraph = RetainedGraph.Walk(config, IsPlatform);
        var largest = graphs.Append(configGraph).Select(g => g.LargestObjects(1).Single()).MaxBy(o => o.NanoBytes);
        return new ConfigCost(
            json.Length, EdgeMeter.Core.Json.JsonReader.CountTokens(json, 0, json.Length), EdgeMeter.Core.Json.JsonReader.CountText(json, 0, json.Length),
            allocated, graphs.Sum(g => g.NanoBytes), whole.NanoBytes, configGraph.NanoBytes, largest.Path, largest.NanoBytes);
    }

    private static EdgeMeter.Core.Json.JsonReader Parsed(byte[] json)
    {
        var reader = GatewayConfigReader.ReaderFor(json, json.Length);
        reader.Parse(json, 0, json.Length);
        return reader;
    }

    /// <summary>Per meter and per point from three shapes: (M, P), (M, P/2) and (M/2, P), all nanoFramework bytes.</summary>
    public static (long PerMeter, long PerPoint, long Fixed) Shares(HeapFigures full, HeapFigures halfPoints, HeapFigures halfMeters)
    {
        var perPoint = (full.NanoBytes - halfPoints.NanoBytes) / (full.Meters * (full.PointsPerMeter - halfPoints.PointsPerMeter));
        var perMeter = ((full.NanoBytes - halfMeters.NanoBytes) / (full.Meters - halfMeters.Meters)) - (full.PointsPerMeter * perPoint);
        var fixedBytes = full.NanoBytes - (full.Meters * perMeter) - (full.Meters * full.PointsPerMeter * perPoint);
        return (perMeter, perPoint, fixedBytes);
    }
}
