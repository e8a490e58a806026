using System;

namespace EdgeMeter.Core.Update;

/// <summary>
/// The list of .pe files that make up one application version, as text (UTF-8, LF or CRLF line ends):
/// <code>
/// edgemeter-update 1
/// version 1.4.0
/// entry EdgeMeter.App.Startup
/// file &lt;sha256 hex&gt; &lt;bytes&gt; EdgeMeter.App.pe
/// </code>
/// Files are loaded in the order listed (dependencies first). The entry type has a public static Run() that starts
/// the gateway and does not return.
/// </summary>
public sealed class UpdateManifest
{
    public const string Header = "edgemeter-update 1";
    public const int MaxFiles = 16;
    private const int MaxFileBytes = 1024 * 1024;

    private UpdateManifest(string version, string entry, UpdateFile[] files)
    {
        Version = version;
        Entry = entry;
        Files = files;
    }

    public string Version { get; }

    /// <summary>Full name of the type whose static Run() starts this version.</summary>
    public string Entry { get; }

    public UpdateFile[] Files { get; }

    /// <summary>Parses the manifest; returns null with a one-line <paramref name="error"/> when it is not valid.</summary>
    public static UpdateManifest? Parse(string text, out string error)
    {
        var lines = text.Split('\n');
        var version = "";
        var entry = "";
        var files = new UpdateFile[MaxFiles];
        var fileCount = 0;
        if (lines.Length == 0 || lines[0].Trim() != Header)
        {
            error = "not an update manifest (first line must be \"" + Header + "\")";
            return null;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts[0] == "version" && parts.Length == 2 && IsName(parts[1]))
            {
                version = parts[1];
            }
            else if (parts[0] == "entry" && parts.Length == 2 && parts[1].Length > 0)
            {
                entry = parts[1];
            }
            else if (parts[0] == "file" && parts.Length == 4 && fileCount < MaxFiles && TryParseFile(parts, out var file))
            {
                files[fileCount++] = file!;
            }
            else
            {
                error = "line " + (i + 1).ToString() + " is not understood: " + line;
                return null;
            }
        }

        if (version.Length == 0 || entry.Length == 0 || fileCount == 0)
        {
            error = "the manifest needs a version, an entry and at least one file";
            return null;
        }

        var exact = new UpdateFile[fileCount];
        Array.Copy(files, exact, fileCount);
        error = "";
        return new UpdateManifest(version, entry, exact);
    }

    /// <summary>Letters, digits, '.', '-' and '_' only: safe as a file or directory name on I:.</summary>
    public static bool IsName(string text)
    {
        if (text.Length == 0 || text.Length > 64 || text[0] == '.')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseFile(string[] parts, out UpdateFile? file)
    {
        file = null;
        var hash = parts[1];
        var name = parts[3];
        if (hash.Length != 64 || !IsHex(hash) || !IsName(name) || !name.EndsWith(".pe"))
        {
            return false;
        }

        int size;
        try
        {
            size = int.Parse(parts[2]);
        }
        catch (Exception)
        {
            return false;
        }

        if (size <= 0 || size > MaxFileBytes)
        {
            return false;
        }

        file = new UpdateFile(name, size, hash.ToLower());
        return true;
    }
}

/// <summary>One .pe file of an update: its name, exact size and SHA-256 (lower-case hex).</summary>
public sealed class UpdateFile
{
    public UpdateFile(string name, int size, string sha256)
    {
        Name = name;
        Size = size;
        Sha256 = sha256;
    }

    public string Name { get; }

    public int Size { get; }

    public string Sha256 { get; }
}
