using EdgeMeter.Build.Tests.Support;
using EdgeMeter.NanoCheck;

namespace EdgeMeter.Build.Tests.NanoCheck;

/// <summary>
/// nanocheck api: a declaration that differs from the real library in any way a caller's compiled code depends on is
/// reported. The real library here is a small stand-in compiled by the test; device-check.sh runs the same check
/// against the real nanoFramework libraries (build/nano/README.md has the last result).
/// </summary>
public class ApiConformanceTests : IDisposable
{
    private const string Real = """
        namespace System.IO.Ports
        {
            public enum Parity { None = 0, Odd = 1, Even = 2 }
            public sealed class SerialPort : System.IDisposable
            {
                public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None) { }
                public int ReadTimeout { get { return 0; } set { } }
                public int Read(byte[] buffer, int offset, int count) { return 0; }
                public void Write(byte[] buffer, int offset, int count) { }
                public void Dispose() { }
                internal void Hidden() { }
            }
        }
        """;

    private readonly TempDirectory _directory = new();

    [Fact]
    public void A_faithful_subset_matches()
    {
        const string Declared = """
            namespace System.IO.Ports
            {
                public enum Parity { None = 0, Odd = 1, Even = 2 }
                public sealed class SerialPort : System.IDisposable
                {
                    public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None) { throw null; }
                    public int Read(byte[] buffer, int offset, int count) { throw null; }
                    public void Dispose() { throw null; }
                }
            }
            """;

        Assert.Empty(Compare(Declared));
    }

    [Theory]
    [InlineData("public int Read(byte[] buffer, int offset, long count) { throw null; }", "method System.IO.Ports.SerialPort::Read(byte[], int, long) int  (real: method System.IO.Ports.SerialPort::Read(byte[], int, int) int)")]
    [InlineData("public long Read(byte[] buffer, int offset, int count) { throw null; }", "method System.IO.Ports.SerialPort::Read(byte[], int, int) long  (real: method System.IO.Ports.SerialPort::Read(byte[], int, int) int)")]
    [InlineData("public static int Read(byte[] buffer, int offset, int count) { throw null; }", "method System.IO.Ports.SerialPort::Read(byte[], int, int) static int  (real: method System.IO.Ports.SerialPort::Read(byte[], int, int) int)")]
    [InlineData("public void Flush() { throw null; }", "method System.IO.Ports.SerialPort::Flush() void  (no such name)")]
    [InlineData("public void Hidden() { throw null; }", "method System.IO.Ports.SerialPort::Hidden() void  (no such name)")]
    [InlineData("public SerialPort(string portName, int baudRate = 115200, Parity parity = Parity.None) { throw null; }", "method System.IO.Ports.SerialPort::.ctor(string, int = 115200, System.IO.Ports.Parity = 0) void")]
    public void A_member_that_differs_is_reported_with_what_the_real_one_is(string member, string expected)
    {
        var declared = "namespace System.IO.Ports { public enum Parity { None = 0, Odd = 1, Even = 2 } public sealed class SerialPort : System.IDisposable { private SerialPort() { throw null; } "
            + member + " public void Dispose() { throw null; } } }";

        var missing = Compare(declared);

        Assert.Contains(missing, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Enum_values_kinds_and_base_types_are_compared()
    {
        const string Declared = """
            namespace System.IO.Ports
            {
                public enum Parity { None = 0, Odd = 2, Even = 1 }
                public class SerialPort : System.IDisposable { private SerialPort() { throw null; } public void Dispose() { throw null; } }
            }
            """;

        var missing = Compare(Declared);

        Assert.Contains("field System.IO.Ports.Parity::Odd System.IO.Ports.Parity = 2  (real: field System.IO.Ports.Parity::Odd System.IO.Ports.Parity = 1)", missing);
        Assert.Contains(missing, m => m.StartsWith("type System.IO.Ports.SerialPort class : System.Object", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    private List<string> Compare(string declared)
    {
        var real = NanoCompiler.Compile(Directory.CreateDirectory(_directory.File("real")).FullName, "System.IO.Ports", Real);
        var ours = NanoCompiler.Compile(Directory.CreateDirectory(_directory.File("declared")).FullName, "System.IO.Ports", declared);
        return ApiConformance.Compare(ours, real);
    }
}
