using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EdgeMeter.Firmware.Board;
using EdgeMeter.Host.Cli;

namespace EdgeMeter.Host.Tests.Firmware;

/// <summary>
/// The nanoFramework projects build into .pe images only with nanoFramework's tools, so these checks keep in step
/// what can drift: the explicit file lists and package references of the .nfproj files, the pin table against
/// nf-boards.md, the file names on I: between the firmware and `edgemeter provision`, and the on-device copies of
/// the packet vectors.
/// </summary>
public partial class FirmwareProjectTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Projects() => new()
    {
        "firmware/EdgeMeter.Firmware/EdgeMeter.Firmware.nfproj",
        "tests/EdgeMeter.Firmware.Tests/EdgeMeter.Firmware.Tests.nfproj",
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_source_file_is_compiled_and_every_compiled_file_exists(string project)
    {
        var path = Path.Combine(Root, project);
        var directory = Path.GetDirectoryName(path)!;
        var listed = Items(path, "Compile")
            .Where(include => !include.Contains('*'))
            .Select(include => Path.GetFullPath(Path.Combine(directory, include.Replace('\\', '/'))))
            .ToList();

        foreach (var file in listed)
        {
            Assert.True(File.Exists(file), $"{project} compiles {file}, which does not exist");
        }

        var onDisk = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(directory, file));
        Assert.Empty(onDisk.Except(listed));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_and_packages_config_name_the_same_packages(string project)
    {
        var path = Path.Combine(Root, project);
        var packages = XDocument.Load(Path.Combine(Path.GetDirectoryName(path)!, "packages.config")).Root!.Elements("package")
            .Select(p => (string)p.Attribute("id")! + "." + (string)p.Attribute("version")!)
            .ToHashSet();
        var referenced = XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "HintPath")
            .Select(e => HintPathPattern().Match(e.Value))
            .Select(m => { Assert.True(m.Success, "HintPath not of the form ..\\..\\packages\\ID.VERSION\\lib\\FILE"); return m.Groups[1].Value; })
            .ToHashSet();

        Assert.Equal(packages.Order(), referenced.Order());
    }

    [Fact]
    public void Both_projects_use_the_same_package_versions()
    {
        var versions = Projects().Select(p => (string)p.Data)
            .SelectMany(p => XDocument.Load(Path.Combine(Root, Path.GetDirectoryName(p)!, "packages.config")).Root!.Elements("package"))
            .GroupBy(p => (string)p.Attribute("id")!);
        foreach (var package in versions)
        {
            Assert.Single(package.Select(p => (string)p.Attribute("version")!).Distinct());
        }
    }

    [Fact]
    public void Both_projects_are_in_the_solution()
    {
        var solution = File.ReadAllText(Path.Combine(Root, "EdgeMeter.sln"));
        Assert.Contains("firmware\\EdgeMeter.Firmware\\EdgeMeter.Firmware.nfproj", solution);
        Assert.Contains("tests\\EdgeMeter.Firmware.Tests\\EdgeMeter.Firmware.Tests.nfproj", solution);
    }

    [Fact]
    public void The_pin_table_matches_nf_boards_md()
    {
        var rows = File.ReadAllLines(Path.Combine(Root, "nf-boards.md"))
            .SkipWhile(line => !line.StartsWith("| target | COM2 TX", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToList();

        Assert.Equal(6, rows.Count);
        foreach (var cells in rows)
        {
            var target = cells[0].Trim('`');
            var board = BoardPins.ForTarget(target);
            Assert.True(board != null, $"{target} is in nf-boards.md but not in BoardPins");
            var actual = new[]
            {
                board!.Bus1.Tx, board.Bus1.Rx, board.Bus1.Rts, board.Bus2.Tx, board.Bus2.Rx, board.Bus2.Rts, board.RunLed, board.ActivityLed,
            };
            Assert.Equal(cells[1..9].Select(int.Parse).ToArray(), actual);
            Assert.Equal(cells[9], board.Map.ToString());
            Assert.Equal("COM2", board.Bus1.Port);
            Assert.Equal("COM3", board.Bus2.Port);
        }
    }

    [Fact]
    public void Provision_knows_exactly_the_boards_of_the_pin_table()
    {
        foreach (var (target, ethernet) in ProvisionVerb.Boards)
        {
            var board = BoardPins.ForTarget(target);
            Assert.NotNull(board);
            Assert.Equal(ethernet, board.HasEthernet);
        }

        Assert.Null(BoardPins.ForTarget("ESP32_C3"));
    }

    [Fact]
    public void Provision_deploys_to_the_paths_the_firmware_reads()
    {
        var paths = File.ReadAllText(Path.Combine(Root, "firmware/EdgeMeter.Firmware/Provisioning/DevicePaths.cs"));
        var root = Regex.Match(paths, "Root = \"([^\"]+)\"").Groups[1].Value.Replace("\\\\", "\\");
        Assert.Equal(ProvisionVerb.DeviceRoot, root);
        foreach (var (constant, expected) in new[]
        {
            ("Config", ProvisionVerb.DeviceConfig), ("KeyFile", ProvisionVerb.DeviceKeyFile), ("BoardFile", ProvisionVerb.DeviceBoardFile),
            ("ReleaseKeyFile", ProvisionVerb.DeviceReleaseKeyFile), ("UpdateCaFile", ProvisionVerb.DeviceCaFile),
        })
        {
            var name = Regex.Match(paths, constant + " = Root \\+ \"([^\"]+)\"").Groups[1].Value.Replace("\\\\", "\\");
            Assert.Equal(expected, root + name);
        }
    }

    [Fact]
    public void On_device_packet_vectors_equal_the_shared_vectors()
    {
        var shared = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tests/vectors/packets.json")))!.AsArray()
            .ToDictionary(v => (string)v!["name"]!, v => (string)v!["packet"]!);
        var copies = ConstantPattern().Matches(File.ReadAllText(Path.Combine(Root, "tests/EdgeMeter.Firmware.Tests/Packet/PacketVectors.cs")))
            .Where(m => m.Groups[1].Value is not ("Key" or "WrongKeyHex"))
            .ToList();

        Assert.NotEmpty(copies);
        foreach (Match copy in copies)
        {
            var name = Regex.Replace(copy.Groups[1].Value, "(?<=.)([A-Z])", "-$1").ToLowerInvariant();
            Assert.True(shared.ContainsKey(name), $"no shared vector {name}");
            Assert.Equal(shared[name], copy.Groups[2].Value);
        }
    }

    private static IEnumerable<string> Items(string project, string kind) =>
        XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == kind).Select(e => (string)e.Attribute("Include")!);

    private static bool IsBuildOutput(string projectDirectory, string file)
    {
        var relative = Path.GetRelativePath(projectDirectory, file).Replace('\\', '/');
        return relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !File.Exists(Path.Combine(directory.FullName, "EdgeMeter.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EdgeMeter.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\.\.\\\.\.\\packages\\([^\\]+)\\lib\\[^\\]+\.(?:dll|exe)$")]
    private static partial Regex HintPathPattern();

    [GeneratedRegex("public const string (\\w+) = \"([^\"]*)\";")]
    private static partial Regex ConstantPattern();
}
