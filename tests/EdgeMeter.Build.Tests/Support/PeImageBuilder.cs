using System.Text;

namespace EdgeMeter.Build.Tests.Support;

/// <summary>
/// Writes the header of a nanoFramework .pe image (CLR_RECORD_ASSEMBLY), its assembly references and string table,
/// with table sizes of our choosing: enough for what the updater and nanocheck read, without the metadata processor.
/// </summary>
internal sealed class PeImageBuilder
{
    private const int HeaderLength = 124;
    private readonly List<(string Name, ushort[] Version)> _references = [];
    private string _name = "Test";
    private ushort[] _version = [1, 0, 0, 0];
    private uint _nativeChecksum;
    private int _byteCode = 100;

    /// <summary>The built-in string index of "mscorlib" (nf-interpreter's StringTableData.cpp).</summary>
    public const ushort MscorlibBuiltIn = 0xFFFF - 0x032D;

    public PeImageBuilder Named(string name, params ushort[] version)
    {
        _name = name;
        _version = version;
        return this;
    }

    public PeImageBuilder WithNativeChecksum(uint checksum)
    {
        _nativeChecksum = checksum;
        return this;
    }

    public PeImageBuilder WithByteCode(int bytes)
    {
        _byteCode = bytes;
        return this;
    }

    /// <summary>A reference; "mscorlib" is written as nanoCLR's built-in string, as the metadata processor does.</summary>
    public PeImageBuilder References(string name, params ushort[] version)
    {
        _references.Add((name, version));
        return this;
    }

    public byte[] Build()
    {
        var strings = new MemoryStream();
        ushort Intern(string s)
        {
            if (s == "mscorlib")
            {
                return MscorlibBuiltIn;
            }

            var index = (ushort)strings.Length;
            var bytes = Encoding.ASCII.GetBytes(s + "\0");
            strings.Write(bytes);
            return index;
        }

        var nameIndex = Intern(_name);
        var refs = new MemoryStream();
        foreach (var (name, version) in _references)
        {
            var index = Intern(name);
            refs.Write(BitConverter.GetBytes(index));
            refs.Write(BitConverter.GetBytes((ushort)0));
            foreach (var part in Pad(version))
            {
                refs.Write(BitConverter.GetBytes(part));
            }
        }

        // Tables: AssemblyRef (0), empty ones, Strings (11), Signatures (12, empty), ByteCode (13); 15 is the end.
        var starts = new int[16];
        var position = HeaderLength;
        var sizes = new int[16];
        sizes[0] = Align((int)refs.Length);
        sizes[11] = Align((int)strings.Length);
        sizes[13] = Align(_byteCode);
        for (var t = 0; t < 16; t++)
        {
            starts[t] = position;
            position += sizes[t];
        }

        var image = new byte[position];
        Encoding.ASCII.GetBytes("NFMRK1").CopyTo(image, 0);
        BitConverter.GetBytes(_nativeChecksum).CopyTo(image, 20);
        for (var i = 0; i < 4; i++)
        {
            BitConverter.GetBytes(Pad(_version)[i]).CopyTo(image, 28 + (2 * i));
        }

        BitConverter.GetBytes(nameIndex).CopyTo(image, 36);
        for (var t = 0; t < 16; t++)
        {
            BitConverter.GetBytes(starts[t]).CopyTo(image, 40 + (4 * t));
        }

        image[108 + 0] = (byte)(sizes[0] - refs.Length);
        image[108 + 11] = (byte)(sizes[11] - strings.Length);
        image[108 + 13] = (byte)(sizes[13] - _byteCode);
        refs.ToArray().CopyTo(image, starts[0]);
        strings.ToArray().CopyTo(image, starts[11]);
        return image;
    }

    private static ushort[] Pad(ushort[] version) => [.. version, .. new ushort[4 - version.Length]];

    private static int Align(int length) => (length + 3) & ~3;
}
