using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EdgeMeter.Benchmarks.Reports;
using EdgeMeter.Benchmarks.Smoke;
using EdgeMeter.Benchmarks.Support;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// The benchmark program (README.md beside this file):
/// <list type="bullet">
/// <item><c>reports [--out DIR]</c>: the exactly counted figures (storage bytes, allocations, bytes on the link), no timing.</item>
/// <item><c>wire [--out DIR]</c>, <c>heap [--out DIR]</c>: only the bytes on the link, only the core's heap.</item>
/// <item><c>--smoke [--out DIR]</c>: every benchmark run once directly and the reports in a small size, for CI.</item>
/// <item>anything else: BenchmarkDotNet's own arguments (<c>--filter '*'</c>), then a summary with medians,
/// operations per second and the per-reading figures.</item>
/// </list>
/// Summaries go to <c>DIR</c> (default <c>BenchmarkDotNet.Artifacts/edgemeter</c>) as Markdown and JSON.
/// </summary>
public static class BenchmarkProgram
{
    public const string DefaultOutput = "BenchmarkDotNet.Artifacts/edgemeter";

    public static int Run(string[] args)
    {
        var output = OptionValue(ref args, "--out") ?? DefaultOutput;
        if (args.Contains("--smoke"))
        {
            var tables = new List<ResultTable> { SmokeRunner.Run(), StorageReport.Run(smoke: true), AllocationReport.Cycles(smoke: true), AllocationReport.Packets(smoke: true), WireReport.Run(smoke: true), HeapReport.Run(smoke: true) };
            return Report(output, "benchmarks-smoke", "Benchmarks smoke run (no timing)", tables);
        }

        if (args.Length > 0 && args[0] == "heap")
        {
            return Report(output, "heap", "The gateway core's heap (EdgeMeter.Benchmarks heap)", [HeapReport.Run(smoke: false)]);
        }

        if (args.Length > 0 && args[0] == "wire")
        {
            return Report(output, "wire", "Bytes on the cellular link (EdgeMeter.Benchmarks wire)", [WireReport.Run(smoke: false)]);
        }

        if (args.Length > 0 && args[0] == "reports")
        {
            var tables = new List<ResultTable> { AllocationReport.Cycles(smoke: false), AllocationReport.Packets(smoke: false), StorageReport.Run(smoke: false), WireReport.Run(smoke: false), HeapReport.Run(smoke: false) };
            return Report(output, "reports", "Gateway figures counted exactly (EdgeMeter.Benchmarks reports)", tables);
        }

        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config).ToList();
        if (summaries.Count == 0 || summaries.All(s => s.Reports.Length == 0))
        {
            return summaries.Count == 0 ? 0 : 1;
        }

        return Report(output, "micro", "Micro-benchmarks (BenchmarkDotNet, medians)", [MicroTable(summaries)]);
    }

    private static int Report(string output, string name, string heading, List<ResultTable> tables)
    {
        foreach (var table in tables)
        {
            Console.WriteLine(table.ToMarkdown());
        }

        ResultTable.WriteSummary(output, name, heading, tables);
        Console.WriteLine($"summary: {Path.GetFullPath(Path.Combine(output, name + ".md"))} and .json");
        return 0;
    }

    /// <summary>Medians, operations per second, allocation, ratio to the class's baseline, and time per reading where an operation covers several.</summary>
    private static ResultTable MicroTable(IEnumerable<Summary> summaries)
    {
        var table = new ResultTable(
            "micro", "Micro-benchmarks (BenchmarkDotNet, medians)",
            "benchmark", "method", "parameters", "median ns", "ops/s", "allocated B/op", "ratio to baseline", "ns per reading");
        foreach (var summary in summaries)
        {
            var reports = summary.Reports.Where(r => r.ResultStatistics != null).ToList();
            foreach (var report in reports)
            {
                var benchmark = report.BenchmarkCase;
                var median = report.ResultStatistics!.Median;
                var parameters = benchmark.Parameters.DisplayInfo;
                var baseline = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline
                    && r.BenchmarkCase.Descriptor.Type == benchmark.Descriptor.Type && r.BenchmarkCase.Parameters.DisplayInfo == parameters);
                var readings = ReadingsPerOperation(benchmark.Descriptor.Type.Name, benchmark.Parameters);
                table.Add(
                    benchmark.Descriptor.Type.Name,
                    benchmark.Descriptor.WorkloadMethod.Name,
                    parameters,
                    median,
                    1e9 / median,
                    (double)(report.GcStats.GetBytesAllocatedPerOperation(benchmark) ?? 0),
                    baseline == null ? double.NaN : median / baseline.ResultStatistics!.Median,
                    readings > 0 ? median / readings : double.NaN);
            }
        }

        table.Notes.Add("ns per reading: the median divided by the readings one operation handles (a poll cycle: 32; a packet: its readings).");
        return table;
    }

    private static int ReadingsPerOperation(string type, BenchmarkDotNet.Parameters.ParameterInstances parameters) => type switch
    {
        nameof(GatewayCycleBenchmark) => GatewayCycleBenchmark.MetersPerCycle * 8,
        nameof(PacketSignBenchmark) => Convert.ToInt32(parameters["Readings"], CultureInfo.InvariantCulture),
        _ => 0,
    };

    private static string? OptionValue(ref string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length)
        {
            return null;
        }

        var value = args[index + 1];
        args = [.. args[..index], .. args[(index + 2)..]];
        return value;
    }
}
