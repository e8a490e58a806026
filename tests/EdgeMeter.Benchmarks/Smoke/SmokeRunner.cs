using System.Reflection;
using BenchmarkDotNet.Attributes;
using EdgeMeter.Benchmarks.Support;

namespace EdgeMeter.Benchmarks.Smoke;

/// <summary>
/// Runs every benchmark once without BenchmarkDotNet (set-up, each method a few times, clean-up), with the first
/// value of each parameter: proof that the benchmarks still build, set up and run, in seconds, for CI. No timing.
/// </summary>
public static class SmokeRunner
{
    public static ResultTable Run()
    {
        var table = new ResultTable("smoke-benchmarks", "Benchmarks run once (smoke)", "benchmark", "method", "parameters", "result");
        var types = typeof(SmokeRunner).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() != null))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var instance = Activator.CreateInstance(type)!;
            var parameters = new List<string>();
            foreach (var property in type.GetProperties())
            {
                var values = property.GetCustomAttribute<ParamsAttribute>()?.Values;
                if (values is { Length: > 0 })
                {
                    property.SetValue(instance, values[0]);
                    parameters.Add($"{property.Name}={values[0]}");
                }
            }

            InvokeAll<GlobalSetupAttribute>(type, instance);
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() != null).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                object? result = null;
                for (var i = 0; i < 3; i++)
                {
                    result = method.Invoke(instance, null);
                }

                table.Add(type.Name, method.Name, string.Join(", ", parameters), Convert.ToString(result, System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }

            InvokeAll<GlobalCleanupAttribute>(type, instance);
        }

        return table;
    }

    private static void InvokeAll<TAttribute>(Type type, object instance)
        where TAttribute : Attribute
    {
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() != null))
        {
            method.Invoke(instance, null);
        }
    }
}
