using System.Text.RegularExpressions;
using System.Xml.Linq;
using EdgeMeter.Build.Tests.Support;

namespace EdgeMeter.Build.Tests.DeviceProjects;

/// <summary>What every device project must keep so that the image builds and its tests run (nf-boards.md section 8).</summary>
public partial class DeviceProjectRulesTests
{
    public static TheoryData<string> DeviceProjects() => new(
        Directory.EnumerateFiles(Repo.Root, "*.nfproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Repo.Root, p)));

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void Pins_optimisation_after_the_project_system_props(string project)
    {
        var text = File.ReadAllText(Repo.PathOf(project));
        var props = text.IndexOf("NFProjectSystem.props\"", StringComparison.Ordinal);
        var optimize = text.IndexOf("<Optimize>true</Optimize>", StringComparison.Ordinal);

        Assert.True(props > 0 && optimize > props, project + " must set <Optimize>true</Optimize> after importing NFProjectSystem.props: unoptimised, the metadata processor's byte-code table overflows");
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void Every_referenced_library_is_declared_at_its_package_version(string project)
    {
        foreach (var hint in XDocument.Load(Repo.PathOf(project)).Descendants().Where(e => e.Name.LocalName == "HintPath"))
        {
            var match = HintPath().Match(hint.Value);
            Assert.True(match.Success, hint.Value);
            var assembly = match.Groups["assembly"].Value;
            var declaration = Repo.PathOf($"build/nano/api/{assembly}/Assembly.cs");
            if (assembly == "mscorlib")
            {
                continue;
            }

            Assert.True(File.Exists(declaration), $"{project} references {assembly}; declare it in build/nano/api/{assembly}");
            Assert.Contains($"[assembly: AssemblyVersion(\"{match.Groups["version"].Value}.0\")]", File.ReadAllText(declaration), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_core_its_protocols_and_the_firmware_carry_one_release_version()
    {
        var core = Version("firmware/EdgeMeter.Core/Properties/DeviceAssemblyInfo.cs");
        var protocols = Version("firmware/EdgeMeter.Core.Protocols/Properties/DeviceAssemblyInfo.cs");
        var firmware = Version("firmware/EdgeMeter.Firmware/Properties/AssemblyInfo.cs");

        Assert.NotEmpty(core);
        Assert.Equal(core, protocols);
        Assert.Equal(core, firmware);
    }

    [Fact]
    public void The_on_device_tests_are_named_and_shaped_for_the_test_launcher()
    {
        var project = XDocument.Load(Repo.PathOf("tests/EdgeMeter.Firmware.Tests/EdgeMeter.Firmware.Tests.nfproj"));
        Assert.Equal("NFUnitTest", project.Descendants().Single(e => e.Name.LocalName == "AssemblyName").Value);

        // The launcher invokes test methods without an instance.
        foreach (var file in Directory.EnumerateFiles(Repo.PathOf("tests/EdgeMeter.Firmware.Tests"), "*Tests.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.Contains("public static class ", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(TestMethodNotStatic(), text);
        }
    }

    private static string Version(string file) => AssemblyVersion().Match(File.ReadAllText(Repo.PathOf(file))).Groups[1].Value;

    [GeneratedRegex(@"^\.\.\\\.\.\\packages\\(?<package>[A-Za-z0-9.]+?)\.(?<version>\d+\.\d+\.\d+)\\lib\\(?<assembly>[A-Za-z0-9.]+)\.(dll|exe)$")]
    private static partial Regex HintPath();

    [GeneratedRegex(@"\[assembly: AssemblyVersion\(""([^""]+)""\)\]")]
    private static partial Regex AssemblyVersion();

    [GeneratedRegex(@"\[TestMethod\]\s*\n\s*public (?!static)")]
    private static partial Regex TestMethodNotStatic();
}
