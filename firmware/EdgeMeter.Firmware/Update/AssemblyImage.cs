namespace EdgeMeter.Firmware.Update;

/// <summary>
/// What the header of a nanoFramework assembly image (a .pe file) says about it: its name and version, the checksum
/// of its native methods, and the assemblies it references with their versions. Layout: CLR_RECORD_ASSEMBLY and
/// CLR_RECORD_ASSEMBLYREF in nf-interpreter's src/CLR/Include/nanoCLR_Types.h (little-endian, marker "NFMRK1").
/// </summary>
public sealed class AssemblyImage
{
    private const int HeaderLength = 124;
    private const int NativeChecksumOffset = 20;
    private const int VersionOffset = 28;
    private const int NameOffset = 36;
    private const int TablesOffset = 40;
    private const int PaddingOffset = 108;
    private const int AssemblyRefTable = 0;
    private const int StringsTable = 11;
    private const int AssemblyRefLength = 12;
    private const int MaxNameLength = 128;

    /// <summary>String indexes at or above this point name nanoCLR's built-in strings, not the image's own.</summary>
    private const int FirstBuiltInString = 0xFFFF - 860;

    /// <summary>"mscorlib" is entry 0x032D of that table (nf-interpreter's StringTableData.cpp), numbered down from 0xFFFF.</summary>
    private const int MscorlibString = 0xFFFF - 0x032D;

    private AssemblyImage(string name, AssemblyIdentity version, uint nativeChecksum, AssemblyIdentity[] references)
    {
        Name = name;
        Version = version;
        NativeChecksum = nativeChecksum;
        References = references;
    }

    public string Name { get; }

    public AssemblyIdentity Version { get; }

    /// <summary>0 for an assembly without native methods; otherwise it must equal the board firmware's.</summary>
    public uint NativeChecksum { get; }

    /// <summary>The assemblies this one needs, by name and version (nanoCLR matches name and major.minor).</summary>
    public AssemblyIdentity[] References { get; }

    /// <summary>
    /// Reads the header, the assembly references and their names from <paramref name="image"/> (a few hundred bytes,
    /// whatever the image's size); returns null with a one-line <paramref name="error"/> when it is not a .pe image.
    /// </summary>
    public static AssemblyImage? Read(IImageSource image, out string error)
    {
        var header = new byte[HeaderLength];
        if (image.Length < HeaderLength || image.Read(0, header, HeaderLength) != HeaderLength || !HasMarker(header))
        {
            error = "not a nanoFramework assembly image (no NFMRK1 header)";
            return null;
        }

        var strings = (int)UInt32At(header, TablesOffset + (StringsTable * 4));
        var refsStart = (int)UInt32At(header, TablesOffset + (AssemblyRefTable * 4));
        var refsEnd = (int)UInt32At(header, TablesOffset + ((AssemblyRefTable + 1) * 4)) - header[PaddingOffset + AssemblyRefTable];
        if (strings < HeaderLength || strings >= image.Length || refsStart < HeaderLength || refsEnd < refsStart || refsEnd > image.Length)
        {
            error = "the image's table offsets point outside it";
            return null;
        }

        var name = StringAt(image, strings, UInt16At(header, NameOffset));
        var references = new AssemblyIdentity[(refsEnd - refsStart) / AssemblyRefLength];
        var record = new byte[AssemblyRefLength];
        for (var i = 0; i < references.Length; i++)
        {
            image.Read(refsStart + (i * AssemblyRefLength), record, AssemblyRefLength);
            references[i] = IdentityAt(record, 4, StringAt(image, strings, UInt16At(record, 0)));
        }

        error = "";
        return new AssemblyImage(name, IdentityAt(header, VersionOffset, name), UInt32At(header, NativeChecksumOffset), references);
    }

    private static bool HasMarker(byte[] header)
    {
        const string Marker = "NFMRK1";
        for (var i = 0; i < Marker.Length; i++)
        {
            if (header[i] != Marker[i])
            {
                return false;
            }
        }

        return true;
    }

    private static AssemblyIdentity IdentityAt(byte[] bytes, int offset, string name) => new AssemblyIdentity(
        name, UInt16At(bytes, offset), UInt16At(bytes, offset + 2), UInt16At(bytes, offset + 4), UInt16At(bytes, offset + 6));

    /// <summary>
    /// A zero-terminated ASCII name from the string table. Of nanoCLR's built-in strings an assembly name can only be
    /// "mscorlib" (the core library's); any other is returned as "".
    /// </summary>
    private static string StringAt(IImageSource image, int table, int index)
    {
        if (index >= FirstBuiltInString)
        {
            return index == MscorlibString ? "mscorlib" : "";
        }

        var bytes = new byte[MaxNameLength];
        var count = image.Read(table + index, bytes, MaxNameLength);
        var length = 0;
        while (length < count && bytes[length] != 0)
        {
            length++;
        }

        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new string(chars);
    }

    private static int UInt16At(byte[] bytes, int offset) => bytes[offset] | (bytes[offset + 1] << 8);

    private static uint UInt32At(byte[] bytes, int offset) =>
        (uint)(bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24));
}

/// <summary>Bytes of a .pe image read at a position: from RAM or from a file on I:.</summary>
public interface IImageSource
{
    int Length { get; }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns how many were read.</summary>
    int Read(int position, byte[] into, int count);
}

/// <summary>An image already in RAM (what Assembly.Load is given anyway).</summary>
public sealed class ImageBytes : IImageSource
{
    private readonly byte[] _bytes;

    public ImageBytes(byte[] bytes)
    {
        _bytes = bytes;
    }

    public int Length => _bytes.Length;

    public int Read(int position, byte[] into, int count)
    {
        var n = position >= _bytes.Length ? 0 : (count < _bytes.Length - position ? count : _bytes.Length - position);
        System.Array.Copy(_bytes, position, into, 0, n);
        return n;
    }
}

/// <summary>An assembly's name and four-part version, as a .pe image or the running device states it.</summary>
public sealed class AssemblyIdentity
{
    public AssemblyIdentity(string name, int major, int minor, int build, int revision)
    {
        Name = name;
        Major = major;
        Minor = minor;
        Build = build;
        Revision = revision;
    }

    public string Name { get; }

    public int Major { get; }

    public int Minor { get; }

    public int Build { get; }

    public int Revision { get; }

    /// <summary>What nanoCLR compares when it resolves a reference: the name, the major and the minor version.</summary>
    public bool SameMajorMinor(AssemblyIdentity other) => Major == other.Major && Minor == other.Minor;

    public override string ToString() =>
        Name + " " + Major.ToString() + "." + Minor.ToString() + "." + Build.ToString() + "." + Revision.ToString();
}
