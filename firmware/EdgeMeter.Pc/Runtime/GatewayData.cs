namespace EdgeMeter.Pc.Runtime;

/// <summary>
/// A PC gateway's data directory: buffer/ (the reading buffer), state/ (sequence numbers), a candidate
/// configuration waiting to be tried after set-config, the release key and verified updates.
/// </summary>
public sealed class GatewayData
{
    public GatewayData(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(BufferDirectory);
        Directory.CreateDirectory(StateDirectory);
    }

    public string Root { get; }

    public string BufferDirectory => Path.Combine(Root, "buffer");

    public string StateDirectory => Path.Combine(Root, "state");

    /// <summary>The fleet's release key (key-file format, one entry): without it firmware updates are refused.</summary>
    public string ReleaseKeyPath => Path.Combine(Root, "release-key.json");

    /// <summary>Firmware versions verified by firmware-update, one directory each.</summary>
    public string UpdatesDirectory => Path.Combine(Root, "updates");

    public string CandidatePath => Path.Combine(Root, "config.candidate.json");

    /// <summary>Present while a candidate configuration is being tried; a start that finds it rolls back.</summary>
    public string TrialMarkerPath => Path.Combine(Root, "config.trial");

    public void StageCandidate(ReadOnlySpan<byte> json)
    {
        var temporary = CandidatePath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(json);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, CandidatePath, overwrite: true);
    }
}
