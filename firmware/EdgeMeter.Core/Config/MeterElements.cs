using EdgeMeter.Core.Json;

namespace EdgeMeter.Core.Config;

/// <summary>The elements of a configuration's root "meters" array, handed to the reader one node at a time.</summary>
internal abstract class MeterElements
{
    /// <summary>Checks the array as <see cref="ConfigNode.Objects"/> does, with its errors, and returns how many elements there are.</summary>
    public abstract int Begin(ConfigNode root, int max);

    /// <summary>Element <paramref name="index"/>; valid until the next call.</summary>
    public abstract ConfigNode Get(int index);
}

/// <summary>The meters of a file parsed whole: nodes of the one reader.</summary>
internal sealed class WholeMeters : MeterElements
{
    private ConfigNode[] _nodes = new ConfigNode[0];

    public override int Begin(ConfigNode root, int max)
    {
        _nodes = root.Objects("meters", max);
        return _nodes.Length;
    }

    public override ConfigNode Get(int index) => _nodes[index];
}

/// <summary>
/// The meters of a split file (<see cref="MetersSplit"/>): each element read from the file and parsed on its own when
/// it is needed, so that one meter's bytes and tokens are alive at a time.
/// </summary>
internal sealed class SplitMeters : MeterElements
{
    private readonly IByteSource _source;
    private readonly MetersSplit _split;
    private readonly bool[] _isObject;
    private ConfigNode? _root;

    public SplitMeters(IByteSource source, MetersSplit split)
    {
        _source = source;
        _split = split;
        _isObject = new bool[split.Count];
    }

    /// <summary>Whether every element is valid JSON on its own (else the file is read whole, for its exact error).</summary>
    public bool AllParse()
    {
        for (var i = 0; i < _split.Count; i++)
        {
            var reader = Parse(i, out var error);
            if (error != JsonError.None)
            {
                return false;
            }

            _isObject[i] = reader.Kind(0) == JsonKind.Object;
        }

        return true;
    }

    public override int Begin(ConfigNode root, int max)
    {
        _root = root;
        if (_split.Count > max)
        {
            root.Error("meters", "holds at most " + max + " entries (found " + _split.Count + ")");
        }

        for (var i = 0; i < _split.Count; i++)
        {
            if (!_isObject[i])
            {
                root.Error("meters[" + i + "]", "must be an object");
            }
        }

        return _split.Count;
    }

    public override ConfigNode Get(int index) => _root!.Element(Parse(index, out _), "meters", index);

    private JsonReader Parse(int index, out JsonError error)
    {
        var length = _split.End(index) - _split.Start(index);
        var bytes = new byte[length];
        _source.Read(_split.Start(index), bytes, 0, length);
        var reader = GatewayConfigReader.ReaderFor(bytes, length);
        error = reader.Parse(bytes, 0, length);
        return reader;
    }
}
