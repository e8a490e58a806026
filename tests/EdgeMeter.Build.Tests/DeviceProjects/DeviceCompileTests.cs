using System.Text;
using EdgeMeter.Build.Tests.Support;

namespace EdgeMeter.Build.Tests.DeviceProjects;

/// <summary>
/// A device project (.nfproj) built where nanoFramework's project system is absent, as on every Linux machine and in
/// CI: it compiles against our declarations of the nanoFramework libraries and checks the metadata processor's byte-code
/// budget (build/nano/NanoFrameworkProjectSystemAbsent.targets). Each check must fail the build when it should, and
/// the same project with the mistake removed must build, so that the failure is the mistake's.
/// </summary>
public class DeviceCompileTests : IDisposable
{
    private const string GoodAdapter = """
        using System.IO.Ports;

        namespace Fixture;

        public static class Adapter
        {
            public static SerialPort Open()
            {
                var port = new SerialPort("COM2", 9600, Parity.Even, 8, StopBits.One) { ReadTimeout = 100, Mode = SerialMode.RS485 };
                port.Open();
                return port;
            }
        }
        """;

    private readonly TempDirectory _directory = new();

    [Fact]
    public void An_adapter_that_calls_the_nanoFramework_api_correctly_builds()
    {
        var (exit, output) = Build(GoodAdapter);

        Assert.True(exit == 0, output);
        Assert.Contains("Fixture.dll: byte code ", output, StringComparison.Ordinal);
    }

    [Theory]
    // Desktop .NET habits that nanoFramework's System.IO.Ports does not have.
    [InlineData("port.DiscardInBuffer();", "CS1061")]
    [InlineData("port.Open(100);", "CS1501")]
    [InlineData("new SerialPort(\"COM2\", 9600, Parity.Mark);", "CS0117")]
    public void An_adapter_that_calls_the_api_wrongly_fails_the_build(string mistake, string error)
    {
        var (exit, output) = Build(GoodAdapter.Replace("port.Open();", "port.Open(); " + mistake, StringComparison.Ordinal));

        Assert.NotEqual(0, exit);
        Assert.Contains("Adapter.cs", output, StringComparison.Ordinal);
        Assert.Contains("error " + error, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_without_declarations_fails_the_build_naming_it()
    {
        var (exit, output) = Build(GoodAdapter, extraReference: "System.Device.Spi");

        Assert.NotEqual(0, exit);
        Assert.Contains("references System.Device.Spi, which build/nano/api does not declare", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_over_the_byte_code_budget_fails_the_build_before_the_metadata_processor_would()
    {
        var (exit, output) = Build(GoodAdapter, extraSource: LargeClass(5_500));

        Assert.NotEqual(0, exit);
        Assert.Contains("error NANO001: byte code of ", output, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private (int Exit, string Output) Build(string adapter, string? extraSource = null, string? extraReference = null)
    {
        File.WriteAllText(_directory.File("Adapter.cs"), adapter);
        var compile = "<Compile Include=\"Adapter.cs\" />";
        if (extraSource != null)
        {
            File.WriteAllText(_directory.File("Large.cs"), extraSource);
            compile += "<Compile Include=\"Large.cs\" />";
        }

        var references = "<Reference Include=\"mscorlib\" /><Reference Include=\"System.IO.Ports\" />"
            + (extraReference == null ? "" : $"<Reference Include=\"{extraReference}\" />");
        var project = _directory.File("Fixture.nfproj");
        File.WriteAllText(project, $"""
            <Project>
              <PropertyGroup>
                <AssemblyName>Fixture</AssemblyName>
                <OutputType>Library</OutputType>
                <LangVersion>latest</LangVersion>
                <Nullable>annotations</Nullable>
              </PropertyGroup>
              <ItemGroup>{compile}</ItemGroup>
              <ItemGroup>{references}</ItemGroup>
              <Import Project="{Repo.PathOf("build/nano/NanoFrameworkProjectSystemAbsent.targets")}" />
            </Project>
            """);
        return DotnetBuild.Run(project);
    }

    /// <summary>About 12 bytes of byte code per statement.</summary>
    private static string LargeClass(int statements)
    {
        var source = new StringBuilder("namespace Fixture; public static class Large { public static int F; ");
        for (var m = 0; m * 500 < statements; m++)
        {
            source.Append("public static void M").Append(m).Append("() { ");
            for (var i = m * 500; i < Math.Min(statements, (m + 1) * 500); i++)
            {
                source.Append("F += ").Append(100_000 + i).Append("; ");
            }

            source.Append("} ");
        }

        return source.Append('}').ToString();
    }
}
