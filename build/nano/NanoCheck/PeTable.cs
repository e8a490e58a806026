using EdgeMeter.Firmware.Update;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// The .pe images of a deployment as a markdown table: file size, the byte-code and string tables with their
/// limits, version and native checksum, read from each image's header (CLR_RECORD_ASSEMBLY), and the total against
/// the board's deployment partition.
/// </summary>
public static class PeTable
{
    private const int TablesOffset = 40;
    private const int PaddingOffset = 108;
    private const int StringsTable = 11;
    private const int ByteCodeTable = 13;
    private const int StringLimit = 0xFFFF - 860;

    public static int Run(string[] args, TextWriter output)
    {
        var partition = 0L;
        var images = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--partition" && i + 1 < args.Length && long.TryParse(args[i + 1], out partition))
            {
                i++;
            }
            else
            {
                images.Add(args[i]);
            }
        }

        output.WriteLine("| image | bytes | byte code (of 65,535) | strings (of 64,675) | version | native checksum |");
        output.WriteLine("|---|---:|---:|---:|---|---|");
        var total = 0L;
        var failed = false;
        foreach (var path in images)
        {
            var bytes = File.ReadAllBytes(path);
            var image = AssemblyImage.Read(new ImageBytes(bytes), out var error);
            if (image == null)
            {
                output.WriteLine($"{path}: {error}");
                failed = true;
                continue;
            }

            var byteCode = TableSize(bytes, ByteCodeTable);
            var strings = TableSize(bytes, StringsTable);
            total += (bytes.Length + 3) & ~3;
            output.WriteLine($"| {Path.GetFileName(path)} | {bytes.Length:N0} | {byteCode:N0} ({Percent(byteCode, ushort.MaxValue)}) "
                + $"| {strings:N0} ({Percent(strings, StringLimit)}) | {image.Version.Major}.{image.Version.Minor}.{image.Version.Build}.{image.Version.Revision} "
                + $"| {(image.NativeChecksum == 0 ? "-" : "0x" + image.NativeChecksum.ToString("X8"))} |");
        }

        output.WriteLine(partition > 0
            ? $"| **deployment** | **{total:N0}** | of a {partition:N0}-byte partition ({Percent(total, partition)}) | | | |"
            : $"| **deployment** | **{total:N0}** | | | | |");
        return failed ? 1 : 0;
    }

    /// <summary>The size of one table: the distance to the next table's start, less the table's padding.</summary>
    public static int TableSize(byte[] pe, int table)
    {
        var start = BitConverter.ToInt32(pe, TablesOffset + (table * 4));
        var next = BitConverter.ToInt32(pe, TablesOffset + ((table + 1) * 4));
        return next - start - pe[PaddingOffset + table];
    }

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("0") + " %";
}
