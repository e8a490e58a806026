using System.Diagnostics;

namespace EdgeMeter.Core.Tests.Packet;

/// <summary>
/// The vectors verified by an independent implementation: PyJWT (Debian package python3-jwt). Skips with a reason
/// where it is not installed, fails instead when CI=true (.ci/install-peers installs it).
/// </summary>
public class PyJwtInteropTests
{
    [Fact]
    public void PyJwt_verifies_the_valid_vectors_and_refuses_bad_signatures()
    {
        var python = FindPythonWithPyJwt();
        if (python == null)
        {
            const string missing = "python3 with PyJWT (Debian package python3-jwt) is not installed; run bash .ci/install-peers";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(missing);
            }

            Assert.Skip(missing);
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Packet", "pyjwt_check_vectors.py");
        var vectors = Path.Combine(AppContext.BaseDirectory, "vectors", "packets.json");
        var (exitCode, output) = Run(python, script, vectors);
        Assert.True(exitCode == 0, output);
        Assert.Contains("valid vectors verified", output);
    }

    private static string? FindPythonWithPyJwt()
    {
        // Debian's python3-jwt lives in the system interpreter; a python3 earlier on PATH (pyenv, venv) may lack it.
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Run(candidate, "-c", "import jwt").ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }

        return null;
    }

    private static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
