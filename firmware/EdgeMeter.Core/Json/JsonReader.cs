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
    private readonly JsonKind[] _kind;
    private readonly int[] _textStart;
    private readonly int[] _textLength;
    private readonly int[] _end;
    private readonly int[] _count;
    private readonly char[] _text;
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
    {
        _kind = new JsonKind[maxTokens];
        _textStart = new int[maxTokens];
        _textLength = new int[maxTokens];
        _end = new int[maxTokens];
        _count = new int[maxTokens];
        _text = new char[maxBytes + 2];
        _maxDepth = maxDepth;
    }

    /// <summary>
    /// The most tokens <c>json[offset..offset+count)</c> can hold: every value and member name but the first follows a
    /// <c>{ [ , :</c> outside strings. Sizing a reader with it instead of one token per two bytes saves most of its
    /// tables for a document of long names and values, like a configuration (on a board, 20 bytes a token).
    /// </summary>
    public static int CountTokens(byte[] json, int offset, int count)
    {
        var tokens = 1;
        var inString = false;
        for (var i = offset; i < offset + count; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == (byte)'\\')
                {
                    i++;
                }
                else if (c == (byte)'"')
                {
                    inString = false;
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
        if (count > _text.Length - 2)
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

    public JsonKind Kind(int token) => token >= 0 && token < _tokens ? _kind[token] : JsonKind.None;

    /// <summary>Members of an object or elements of an array; 0 for anything else.</summary>
    public int Count(int token) => token >= 0 && token < _tokens ? _count[token] : 0;

    /// <summary>The first element of an array or the first member name of an object; -1 when empty.</summary>
    public int FirstChild(int token) => Count(token) > 0 ? token + 1 : -1;

    /// <summary>The token after <paramref name="token"/> and all it contains.</summary>
    public int Skip(int token) => _end[token];

    /// <summary>The value of member <paramref name="name"/> of an object, or -1.</summary>
    public int Find(int objectToken, string name)
    {
        if (Kind(objectToken) != JsonKind.Object)
        {
            return -1;
        }

        var key = objectToken + 1;
        for (var i = 0; i < _count[objectToken]; i++)
        {
            if (TextEquals(key, name))
            {
                return key + 1;
            }

            key = _end[key + 1];
        }

        return -1;
    }

    public int TextStart(int token) => _textStart[token];

    public int TextLength(int token) => _textLength[token];

    /// <summary>Whether a string's decoded value (or a number's text) equals <paramref name="value"/>.</summary>
    public bool TextEquals(int token, string value)
    {
        var kind = Kind(token);
        if ((kind != JsonKind.String && kind != JsonKind.Number) || _textLength[token] != value.Length)
        {
            return false;
        }

        var start = _textStart[token];
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
    public string GetString(int token) => new string(_text, _textStart[token], _textLength[token]);

    /// <summary>Reads an integer number (no fraction or exponent) that fits a long.</summary>
    public bool TryGetInt64(int token, out long value)
    {
        value = 0;
        if (Kind(token) != JsonKind.Number)
        {
            return false;
        }

        var start = _textStart[token];
        var end = start + _textLength[token];
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
            _end[token] = _tokens;
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
            _end[token] = _tokens;
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
        _count[token]++;
        SkipWhitespace();
        if (_position >= _limit)
        {
            return Fail(JsonError.UnexpectedEnd, _position);
        }

        var separator = _source[_position++];
        if (separator == close)
        {
            _end[token] = _tokens;
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
        for (var i = 0; i < _count[objectToken]; i++)
        {
            if (SameText(key, newKey))
            {
                return true;
            }

            key = _end[key + 1];
        }

        return false;
    }

    private bool SameText(int a, int b)
    {
        var length = _textLength[a];
        if (length != _textLength[b])
        {
            return false;
        }

        var sa = _textStart[a];
        var sb = _textStart[b];
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

        _textStart[token] = _textUsed;
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

        _textLength[token] = _textUsed - _textStart[token];
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

        _textStart[token] = _textUsed;
        _textLength[token] = length;
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
        _kind[token] = kind;
        _textStart[token] = 0;
        _textLength[token] = 0;
        _count[token] = 0;
        _end[token] = token + 1;
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
