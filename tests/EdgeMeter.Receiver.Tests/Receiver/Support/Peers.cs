namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>Tests that need an installed peer skip with a visible reason, except under CI (CI=true), where they fail.</summary>
internal static class Peers
{
    public static void Require(string path, string package)
    {
        if (File.Exists(path))
        {
            return;
        }

        var message = $"{path} is not installed (Debian package {package}; bash .ci/install-peers)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
