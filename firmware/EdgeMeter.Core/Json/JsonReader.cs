using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Json;

/// <summary>
/// A small, strict JSON parser (RFC 8259, with I-JSON's rules from RFC 7493: valid UTF-8, no unpaired surrogates,
/// no duplicate member names). It parses a whole document into a flat token table held in arrays allocated once,
/// then answers queries by token index. Strings are decoded once into a shared character pool (so "a" and
/// "\u0061" compare equal); numbers are kept as their text. Arbitrary bytes never make it throw: it returns a
/// <see cref="JsonError"/> and the offset where it stopped. Not thread-safe: one instance per user.
/// </summary>
/// <remarks>
/// Token layout: a container is followed by its children in document order; an object's children alternate
/// member name (a String token) and value. <see cref="Skip"/> jumps over a token and everything inside it.
/// </remarks>
public sealed class JsonReader
{
    private readonly byte[] _kind; // JsonKind: a byte, not the enum's four

    // Two slots a token, by its kind: a string's or number's text (its start and length in _text), a container's end
    // (the token after it and all it contains) and count. Tables are most of what a reader costs on a board.
    private readonly int[] _offset;
    private readonly int[] _size;
    private readonly char[] _text;
    private readonly int _maxBytes;
    private readonly int _maxDepth;
    private byte[] _source = new byte[0];
    private int _position;
    private int _limit;
    private int _tokens;
    private int _textUsed;

    /// <param name="maxBytes">Longest document accepted (also sizes the decoded-text pool).</param>
    /// <param name="maxTokens">Most values plus member names in one document.</param>
    /// <param name="maxDepth">Deepest nesting of objects and arrays.</param>
    public JsonReader(int maxBytes, int maxTokens, int maxDepth)
        : this(maxBytes, maxTokens, maxDepth, maxBytes)
    {
    }

    /// <param name="maxText">Most characters of decoded strings and numbers' text in one document (<see cref="CountText"/>).</param>
    public JsonReader(int maxBytes, int maxTokens, int maxDepth, int maxText)
    {
        _kind = new byte[maxTokens];
        _offset = new int[maxTokens];
        _size = new int[maxTokens];
        _text = new char[maxText + 2];
        _maxBytes = maxBytes;
        _maxDepth = maxDepth;
    }

    /// <summary>
    /// The most characters <c>json[offset..offset+count)</c>'s strings and numbers can decode to: every byte inside a
    /// string's quotes and every byte that can belong to a number. A reader sized by it for a document that is mostly
    /// structure and names, like a configuration, needs a far smaller text pool than one character per byte.
    /// </summary>
    public static int CountText(byte[] json, int offset, int count)
    {
        Scan(json, offset, count, out var text);
        return text;
    }

    /// <summary>
    /// The most tokens <c>json[offset..offset+count)</c> can hold: every value and member name but the first follows a
    /// <c>{ [ , :</c> outside strings. Sizing a reader with it instead of one token per two bytes saves most of its
    /// tables for a document of long names and values, like a configuration (on a board, 20 bytes a token).
    /// </summary>
    public static int CountTokens(byte[] json, int offset, int count) => Scan(json, offset, count, out _);

    // One pass for both counts: tokens (returned) and text.
    private static int Scan(byte[] json, int offset, int count, out int text)
    {
        var tokens = 1;
        text = 0;
        var inString = false;
        for (var i = offset; i < offset + count; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == (byte)'"')
                {
                    inString = false;
                    continue;
                }

                text++;
                if (c == (byte)'\\' && i + 1 < offset + count)
                {
                    i++; // an escape's second byte, counted too (an upper bound)
                    text++;
                }
            }
            else if (c == (byte)'"')
            {
                inString = true;
            }
            else if (c == (byte)'{' || c == (byte)'[' || c == (byte)',' || c == (byte)':')
            {
                tokens++;
            }
            else if ((c >= (byte)'0' && c <= (byte)'9') || c == (byte)'-' || c == (byte)'+' || c == (byte)'.' || c == (byte)'e' || c == (byte)'E')
            {
                text++;
            }
        }

        return tokens;
    }

    public JsonError Error { get; private set; }

    /// <summary>Byte offset (from the start of the parsed range) where the error was found.</summary>
    public int ErrorOffset { get; private set; }

    public int TokenCount => _tokens;

    /// <summary>Decoded text of strings and the literal text of numbers; see <see cref="TextStart"/>.</summary>
    public char[] Text => _text;

    /// <summary>Parses <c>source[offset..offset+count)</c>; the root value is token 0.</summary>
    public JsonError Parse(byte[] source, int offset, int count)
    {
        _source = source;
        _position = offset;
        _limit = offset + count;
        _tokens = 0;
        _textUsed = 0;
        Error = JsonError.None;
        ErrorOffset = 0;
        if (count > _maxBytes)
        {
            Fail(JsonError.TooLong, offset);
            ErrorOffset = 0;
            return Error;
        }

        SkipWhitespace();
        if (!ParseValue(0))
        {
            ErrorOffset -= offset;
            return Error;
        }

        SkipWhitespace();
        if (_position < _limit)
        {
            Fail(JsonError.TrailingData, _position);
            ErrorOffset -= offset;
            return Error;
        }

        return JsonError.None;
    }

    public JsonKind Kind(int token) => token >= 0 && token < _tokens ? (JsonKind)_kind[token] : JsonKind.None;

    /// <summary>Members of an object or elements of an array; 0 for anything else.</summary>
    public int Count(int token) => token >= 0 && token < _tokens && IsContainer(token) ? _size[token] : 0;

    /// <summary>The first element of an array or the first member name of an object; -1 when empty.</summary>
    public int FirstChild(int token) => Count(token) > 0 ? token + 1 : -1;

    /// <summary>The token after <paramref name="token"/> and all it contains.</summary>
    public int Skip(int token) => IsContainer(token) ? _offset[token] : token + 1;

    /// <summary>The value of member <paramref name="name"/> of an object, or -1.</summary>
    public int Find(int objectToken, string name)
    {
        if (Kind(objectToken) != JsonKind.Object)
        {
            return -1;
        }

        var key = objectToken + 1;
        for (var i = 0; i < _size[objectToken]; i++)
        {
            if (TextEquals(key, name))
            {
                return key + 1;
            }

            key = Skip(key + 1);
        }

        return -1;
    }

    /// <summary>Where a string's decoded value or a number's text starts in <see cref="Text"/>; 0 for other tokens.</summary>
    public int TextStart(int token) => HasText(token) ? _offset[token] : 0;

    /// <summary>The length of a string's decoded value or a number's text; 0 for other tokens.</summary>
    public int TextLength(int token) => HasText(token) ? _size[token] : 0;

    /// <summary>Whether a string's decoded value (or a number's text) equals <paramref name="value"/>.</summary>
    public bool TextEquals(int token, string value)
    {
        var kind = Kind(token);
        if ((kind != JsonKind.String && kind != JsonKind.Number) || _size[token] != value.Length)
        {
            return false;
        }

        var start = _offset[token];
        for (var i = 0; i < value.Length; i++)
        {
            if (_text[start + i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A string's decoded value or a number's text (allocates).</summary>
    public string GetString(int token) => HasText(token) ? new string(_text, _offset[token], _size[token]) : "";

    /// <summary>Reads an integer number (no fraction or exponent) that fits a long.</summary>
    public bool TryGetInt64(int token, out long value)
    {
        value = 0;
        if (Kind(token) != JsonKind.Number)
        {
            return false;
        }

        var start = _offset[token];
        var end = start + _size[token];
        var negative = _text[start] == '-';
        var i = negative ? start + 1 : start;
        long result = 0;
        for (; i < end; i++)
        {
            var c = _text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            var digit = c - '0';

            // Accumulate negatively so long.MinValue fits; detect overflow before it happens.
            if (result < (long.MinValue + digit) / 10)
            {
                return false;
            }

            result = (result * 10) - digit;
        }

        if (!negative)
        {
            if (result == long.MinValue)
            {
                return false;
            }

            result = -result;
        }

        value = result;
        return true;
    }

    private bool IsContainer(int token)
    {
        var kind = _kind[token];
        return kind == (byte)JsonKind.Object || kind == (byte)JsonKind.Array;
    }

    private bool HasText(int token)
    {
        var kind = Kind(token);
        return kind == JsonKind.String || kind == JsonKind.Number;
    }

    private bool ParseValue(int depth)
    {
        if (_position >= _limit)
        {
            return Fail(JsonError.UnexpectedEnd, _position);
        }

        var c = _source[_position];
        switch (c)
        {
            case (byte)'{':
                return ParseObject(depth);
            case (byte)'[':
                return ParseArray(depth);
            case (byte)'"':
                return ParseString();
            case (byte)'t':
                return ParseLiteral("true", JsonKind.True);
            case (byte)'f':
                return ParseLiteral("false", JsonKind.False);
            case (byte)'n':
                return ParseLiteral("null", JsonKind.Null);
        }

        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return ParseNumber();
        }

        return Fail(JsonError.UnexpectedCharacter, _position);
    }

    private bool ParseObject(int depth)
    {
        if (depth >= _maxDepth)
        {
            return Fail(JsonError.TooDeep, _position);
        }

        var token = NewToken(JsonKind.Object);
        if (token < 0)
        {
            return false;
        }

        _position++;
        SkipWhitespace();
        if (_position < _limit && _source[_position] == '}')
        {
            _position++;
            _offset[token] = _tokens;
            return true;
        }

        while (true)
        {
            if (_position >= _limit)
            {
                return Fail(JsonError.UnexpectedEnd, _position);
            }

            if (_source[_position] != '"')
            {
                return Fail(JsonError.UnexpectedCharacter, _position);
            }

            var keyStart = _position;
            var key = _tokens;
            if (!ParseString())
            {
                return false;
            }

            if (IsDuplicateKey(token, key))
            {
                return Fail(JsonError.DuplicateKey, keyStart);
            }

            SkipWhitespace();
            if (!Expect((byte)':'))
            {
                return false;
            }

            SkipWhitespace();
            if (!ParseValue(depth + 1))
            {
                return false;
            }

            if (!AfterItem(token, (byte)'}', out var closed) || closed)
            {
                return closed;
            }
        }
    }

    private bool ParseArray(int depth)
    {
        if (depth >= _maxDepth)
        {
            return Fail(JsonError.TooDeep, _position);
        }

        var token = NewToken(JsonKind.Array);
        if (token < 0)
        {
            return false;
        }

        _position++;
        SkipWhitespace();
        if (_position < _limit && _source[_position] == ']')
        {
            _position++;
            _offset[token] = _tokens;
            return true;
        }

        while (true)
        {
            if (!ParseValue(depth + 1))
            {
                return false;
            }

            if (!AfterItem(token, (byte)']', out var closed) || closed)
            {
                return closed;
            }
        }
    }

    /// <summary>
    /// After a member or an element: a comma means another follows, the closing bracket ends the container
    /// (<paramref name="closed"/>). Returns false on anything else.
    /// </summary>
    private bool AfterItem(int token, byte close, out bool closed)
    {
        closed = false;
        _size[token]++;
        SkipWhitespace();
        if (_position >= _limit)
        {
            return Fail(JsonError.UnexpectedEnd, _position);
        }

        var separator = _source[_position++];
        if (separator == close)
        {
            _offset[token] = _tokens;
            closed = true;
            return true;
        }

        if (separator != ',')
        {
            return Fail(JsonError.UnexpectedCharacter, _position - 1);
        }

        SkipWhitespace();
        return true;
    }

    private bool IsDuplicateKey(int objectToken, int newKey)
    {
        var key = objectToken + 1;
        for (var i = 0; i < _size[objectToken]; i++)
        {
            if (SameText(key, newKey))
            {
                return true;
            }

            key = Skip(key + 1);
        }

        return false;
    }

    private bool SameText(int a, int b)
    {
        var length = _size[a];
        if (length != _size[b])
        {
            return false;
        }

        var sa = _offset[a];
        var sb = _offset[b];
        for (var i = 0; i < length; i++)
        {
            if (_text[sa + i] != _text[sb + i])
            {
                return false;
            }
        }

        return true;
    }

    private bool ParseString()
    {
        var token = NewToken(JsonKind.String);
        if (token < 0)
        {
            return false;
        }

        _offset[token] = _textUsed;
        _position++;
        while (true)
        {
            if (_position >= _limit)
            {
                return Fail(JsonError.UnexpectedEnd, _position);
            }

            // Each input byte yields at most one UTF-16 unit (a 4-byte sequence yields two), so the pool, sized to
            // the longest document, cannot overflow; the check keeps that a guarantee rather than an argument.
            if (_textUsed + 2 > _text.Length)
            {
                return Fail(JsonError.TooLong, _position);
            }

            var c = _source[_position];
            if (c == '"')
            {
                _position++;
                break;
            }

            if (c == '\\')
            {
                if (!ParseEscape())
                {
                    return false;
                }
            }
            else if (c < 0x20)
            {
                return Fail(JsonError.ControlCharacter, _position);
            }
            else if (c < 0x80)
            {
                _text[_textUsed++] = (char)c;
                _position++;
            }
            else
            {
                var codePoint = Utf8.DecodeCodePoint(_source, _position, _limit, out var length);
                if (codePoint < 0)
                {
                    return Fail(JsonError.BadUtf8, _position);
                }

                _textUsed += Utf8.WriteUtf16(codePoint, _text, _textUsed);
                _position += length;
            }
        }

        _size[token] = _textUsed - _offset[token];
        return true;
    }

    private bool ParseEscape()
    {
        var start = _position;
        if (_position + 1 >= _limit)
        {
            return Fail(JsonError.UnexpectedEnd, _limit);
        }

        var e = _source[_position + 1];
        _position += 2;
        char decoded;
        switch (e)
        {
            case (byte)'"': decoded = '"'; break;
            case (byte)'\\': decoded = '\\'; break;
            case (byte)'/': decoded = '/'; break;
            case (byte)'b': decoded = '\b'; break;
            case (byte)'f': decoded = '\f'; break;
            case (byte)'n': decoded = '\n'; break;
            case (byte)'r': decoded = '\r'; break;
            case (byte)'t': decoded = '\t'; break;
            case (byte)'u':
                return ParseUnicodeEscape(start);
            default:
                return Fail(JsonError.BadEscape, start);
        }

        _text[_textUsed++] = decoded;
        return true;
    }

    private bool ParseUnicodeEscape(int start)
    {
        var unit = ReadHex4();
        if (unit < 0)
        {
            return Fail(JsonError.BadEscape, start);
        }

        if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
            return Fail(JsonError.LoneSurrogate, start);
        }

        if (unit >= 0xD800 && unit <= 0xDBFF)
        {
            if (_position + 1 >= _limit || _source[_position] != '\\' || _source[_position + 1] != 'u')
            {
                return Fail(JsonError.LoneSurrogate, start);
            }

            _position += 2;
            var low = ReadHex4();
            if (low < 0xDC00 || low > 0xDFFF)
            {
                return Fail(JsonError.LoneSurrogate, start);
            }

            _text[_textUsed++] = (char)unit;
            _text[_textUsed++] = (char)low;
            return true;
        }

        _text[_textUsed++] = (char)unit;
        return true;
    }

    private int ReadHex4()
    {
        if (_position + 4 > _limit)
        {
            return -1;
        }

        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var digit = Hex.DigitValue(_source[_position + i]);
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        _position += 4;
        return value;
    }

    private bool ParseNumber()
    {
        var start = _position;
        var token = NewToken(JsonKind.Number);
        if (token < 0)
        {
            return false;
        }

        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
        }
        else if (!SkipDigits())
        {
            return Fail(JsonError.BadNumber, start);
        }

        if (Peek() == '.')
        {
            _position++;
            if (!SkipDigits())
            {
                return Fail(JsonError.BadNumber, start);
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _position++;
            if (Peek() == '+' || Peek() == '-')
            {
                _position++;
            }

            if (!SkipDigits())
            {
                return Fail(JsonError.BadNumber, start);
            }
        }

        var length = _position - start;
        if (_textUsed + length > _text.Length)
        {
            return Fail(JsonError.TooLong, start);
        }

        _offset[token] = _textUsed;
        _size[token] = length;
        for (var i = 0; i < length; i++)
        {
            _text[_textUsed++] = (char)_source[start + i];
        }

        return true;
    }

    private bool SkipDigits()
    {
        var start = _position;
        while (_position < _limit && _source[_position] >= '0' && _source[_position] <= '9')
        {
            _position++;
        }

        return _position > start;
    }

    private bool ParseLiteral(string literal, JsonKind kind)
    {
        if (_limit - _position < literal.Length)
        {
            return Fail(JsonError.UnexpectedEnd, _position);
        }

        for (var i = 0; i < literal.Length; i++)
        {
            if (_source[_position + i] != literal[i])
            {
                return Fail(JsonError.UnexpectedCharacter, _position + i);
            }
        }

        if (NewToken(kind) < 0)
        {
            return false;
        }

        _position += literal.Length;
        return true;
    }

    private int NewToken(JsonKind kind)
    {
        if (_tokens >= _kind.Length)
        {
            Fail(JsonError.TooManyTokens, _position);
            return -1;
        }

        var token = _tokens++;
        _kind[token] = (byte)kind;
        _offset[token] = token + 1; // a container's end until it closes; a string or number sets its text
        _size[token] = 0;
        return token;
    }

    private bool Expect(byte expected)
    {
        if (_position >= _limit)
        {
            return Fail(JsonError.UnexpectedEnd, _position);
        }

        if (_source[_position] != expected)
        {
            return Fail(JsonError.UnexpectedCharacter, _position);
        }

        _position++;
        return true;
    }

    private int Peek() => _position < _limit ? _source[_position] : -1;

    private void SkipWhitespace()
    {
        while (_position < _limit)
        {
            var c = _source[_position];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }

            _position++;
        }
    }

    private bool Fail(JsonError error, int offset)
    {
        Error = error;
        ErrorOffset = offset;
        return false;
    }
}
