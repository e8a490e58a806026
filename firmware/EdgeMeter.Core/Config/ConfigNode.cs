using System.Collections;
using EdgeMeter.Core.Json;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Config;

/// <summary>
/// One JSON object of a configuration file being read: typed getters that record every problem with its JSON
/// path ("$.meters[2].pollSeconds: must be one of ...") instead of stopping at the first.
/// </summary>
internal sealed class ConfigNode
{
    private readonly JsonReader _json;
    private readonly int _token;
    private readonly ArrayList _errors;
    private readonly ArrayList _notes;
    private readonly ArrayList _strings;

    // Bounds the search for an equal string (a board reads its file at start-up; a file of thousands of distinct names
    // would otherwise cost a search of all earlier ones for each): the names a model repeats come early.
    private const int MaxSharedStrings = 256;

    /// <param name="strings">The strings read so far, shared by every node of one file: a value read again (the same
    /// point id or unit on every meter of a model) is that string, not a copy per point.</param>
    public ConfigNode(JsonReader json, int token, string path, ArrayList errors, ArrayList notes, ArrayList strings)
    {
        _json = json;
        _token = token;
        Path = path;
        _errors = errors;
        _notes = notes;
        _strings = strings;
    }

    public string Path { get; }

    public bool IsObject => _json.Kind(_token) == JsonKind.Object;

    public void Error(string name, string problem) => _errors.Add(Path + "." + name + ": " + problem);

    /// <summary>Something accepted that a person should still hear about (a setting that no longer does anything).</summary>
    public void Note(string name, string text) => _notes.Add(Path + "." + name + ": " + text);

    /// <summary>An exact decimal given as a string ("200", "0.5"): strings keep the digits JSON numbers may not.</summary>
    public bool Decimal(string name, out FixedDecimal value)
    {
        value = default;
        var token = _json.Find(_token, name);
        if (token < 0)
        {
            return false;
        }

        var text = _json.Kind(token) == JsonKind.String ? _json.GetString(token) : "";
        if (!FixedDecimal.TryParse(text, out value))
        {
            Error(name, "must be an exact decimal in a string, such as \"200\" or \"0.5\"");
            return false;
        }

        return true;
    }

    /// <summary>Reports members the format does not know (a typo would otherwise be silently ignored).</summary>
    public void RejectUnknown(string[] known)
    {
        var key = _json.FirstChild(_token);
        for (var i = 0; i < _json.Count(_token); i++)
        {
            var name = _json.GetString(key);
            if (!Contains(known, name))
            {
                _errors.Add(Path + "." + name + ": unknown setting");
            }

            key = _json.Skip(key + 1);
        }
    }

    public bool Has(string name) => _json.Find(_token, name) >= 0;

    public string String(string name, bool required, string fallback)
    {
        var value = _json.Find(_token, name);
        if (value < 0)
        {
            if (required)
            {
                Error(name, "is required");
            }

            return fallback;
        }

        if (_json.Kind(value) != JsonKind.String)
        {
            Error(name, "must be a string");
            return fallback;
        }

        return Shared(value);
    }

    private string Shared(int token)
    {
        for (var i = 0; i < _strings.Count; i++)
        {
            var known = (string)_strings[i]!;
            if (_json.TextEquals(token, known))
            {
                return known;
            }
        }

        var text = _json.GetString(token);
        if (_strings.Count < MaxSharedStrings)
        {
            _strings.Add(text);
        }

        return text;
    }

    public string Choice(string name, string[] allowed, string fallback, bool required)
    {
        var text = String(name, required, fallback);
        if (Has(name) && _json.Kind(_json.Find(_token, name)) == JsonKind.String && !Contains(allowed, text))
        {
            Error(name, "must be one of " + Join(allowed) + " (found \"" + text + "\")");
            return fallback;
        }

        return text;
    }

    public long Integer(string name, long min, long max, long fallback, bool required)
    {
        var value = _json.Find(_token, name);
        if (value < 0)
        {
            if (required)
            {
                Error(name, "is required");
            }

            return fallback;
        }

        if (!_json.TryGetInt64(value, out var number))
        {
            Error(name, "must be a whole number");
            return fallback;
        }

        if (number < min || number > max)
        {
            Error(name, "must be from " + min + " to " + max + " (found " + number + ")");
            return fallback;
        }

        return number;
    }

    public int OneOf(string name, int[] allowed, int fallback)
    {
        var number = (int)Integer(name, int.MinValue, int.MaxValue, fallback, false);
        for (var i = 0; i < allowed.Length; i++)
        {
            if (allowed[i] == number)
            {
                return number;
            }
        }

        Error(name, "must be one of " + JoinNumbers(allowed) + " (found " + number + ")");
        return fallback;
    }

    public bool Boolean(string name, bool fallback)
    {
        var value = _json.Find(_token, name);
        if (value < 0)
        {
            return fallback;
        }

        var kind = _json.Kind(value);
        if (kind != JsonKind.True && kind != JsonKind.False)
        {
            Error(name, "must be true or false");
            return fallback;
        }

        return kind == JsonKind.True;
    }

    /// <summary>A child object, or null (with an error when required or of the wrong type).</summary>
    public ConfigNode? Object(string name, bool required)
    {
        var value = _json.Find(_token, name);
        if (value < 0)
        {
            if (required)
            {
                Error(name, "is required");
            }

            return null;
        }

        if (_json.Kind(value) != JsonKind.Object)
        {
            Error(name, "must be an object");
            return null;
        }

        return new ConfigNode(_json, value, Path + "." + name, _errors, _notes, _strings);
    }

    /// <summary>Element <paramref name="index"/> of array <paramref name="name"/>, parsed by a reader of its own (token 0).</summary>
    public ConfigNode Element(JsonReader json, string name, int index) =>
        new ConfigNode(json, 0, Path + "." + name + "[" + index + "]", _errors, _notes, _strings);

    /// <summary>The elements of an array of objects; empty (with an error) when missing, empty or mistyped.</summary>
    public ConfigNode[] Objects(string name, int max)
    {
        var value = _json.Find(_token, name);
        if (value < 0)
        {
            Error(name, "is required");
            return new ConfigNode[0];
        }

        var count = _json.Count(value);
        if (_json.Kind(value) != JsonKind.Array || count == 0)
        {
            Error(name, "must be a non-empty array");
            return new ConfigNode[0];
        }

        if (count > max)
        {
            Error(name, "holds at most " + max + " entries (found " + count + ")");
        }

        var nodes = new ConfigNode[count];
        var element = _json.FirstChild(value);
        for (var i = 0; i < count; i++)
        {
            var path = Path + "." + name + "[" + i + "]";
            if (_json.Kind(element) != JsonKind.Object)
            {
                _errors.Add(path + ": must be an object");
            }

            nodes[i] = new ConfigNode(_json, element, path, _errors, _notes, _strings);
            element = _json.Skip(element);
        }

        return nodes;
    }

    private static bool Contains(string[] values, string value)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    private static string Join(string[] values)
    {
        var text = "";
        for (var i = 0; i < values.Length; i++)
        {
            text += (i == 0 ? "" : ", ") + values[i];
        }

        return text;
    }

    private static string JoinNumbers(int[] values)
    {
        var text = "";
        for (var i = 0; i < values.Length; i++)
        {
            text += (i == 0 ? "" : ", ") + values[i];
        }

        return text;
    }
}
