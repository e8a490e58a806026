using System.Diagnostics;

namespace EdgeMeter.Build.Tests.Support;

/// <summary>Runs `dotnet build` on a project as a developer would, and returns its exit code and output.</summary>
internal static class DotnetBuild
{
    public static (int Exit, string Output) Run(string project)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", project, "-nologo", "-v:minimal", "-p:Configuration=Debug" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };

        // What `dotnet test` sets for its own MSBuild must not leak into the child build.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build " + project + " did not finish in 5 minutes");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
