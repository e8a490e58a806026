using System.Globalization;

namespace EdgeMeter.LoadTest.Support;

/// <summary>
/// CPU time the whole machine spent busy (every process: publishers, brokers, receiver), from Linux's /proc/stat.
/// On a shared machine a run's cost is what it took from all cores, not only from the process measured.
/// </summary>
public readonly record struct MachineCpu(double BusySeconds, double TotalSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture .NET runs on

    /// <summary>Now, or null where /proc/stat is missing (not Linux).</summary>
    public static MachineCpu? Sample()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return null;
        }

        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines(path).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return new MachineCpu((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>Busy CPU seconds between two samples, and the share of all cores they were (0-1).</summary>
    public static (double BusySeconds, double Utilisation) Between(MachineCpu? before, MachineCpu? after) =>
        before is { } b && after is { } a && a.TotalSeconds > b.TotalSeconds
            ? (a.BusySeconds - b.BusySeconds, (a.BusySeconds - b.BusySeconds) / (a.TotalSeconds - b.TotalSeconds))
            : (double.NaN, double.NaN);
}
