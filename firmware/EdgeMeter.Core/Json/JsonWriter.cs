using EdgeMeter.Core.Text;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Json;

/// <summary>
/// Writes compact JSON into a fixed, reusable byte buffer. The caller decides the key order, so the same values
/// always give the same bytes. Strings use the minimal escapes (<c>\" \\ \b \f \n \r \t</c>, other control
/// characters as <c>\u00xx</c>) and raw UTF-8 for everything else. Exact decimals and times are written as strings.
/// Running out of room never throws: <see cref="Overflowed"/> turns true and the rest is dropped, so a caller can
/// roll back to a <see cref="JsonWriterMark"/> and close the document with what fitted.
/// </summary>
public sealed class JsonWriter
{
    private const string HexDigits = "0123456789abcdef";

    private readonly bool[] _hasItems;
    private readonly byte[] _digits = new byte[20];
    private int _depth;
    private bool _afterName;

    public JsonWriter(int capacity, int maxDepth = 8)
    {
        Buffer = new byte[capacity];
        _hasItems = new bool[maxDepth + 1];
    }

    /// <summary>The output; bytes <c>[0, Length)</c> are the document.</summary>
    public byte[] Buffer { get; }

    public int Length { get; private set; }

    /// <summary>True once a write did not fit; cleared by <see cref="Reset"/> and <see cref="Restore"/>.</summary>
    public bool Overflowed { get; private set; }

    public void Reset()
    {
        Length = 0;
        Overflowed = false;
        _depth = 0;
        _hasItems[0] = false;
        _afterName = false;
    }

    public JsonWriterMark Mark() => new JsonWriterMark(Length, _depth, _hasItems[_depth], _afterName);

    /// <summary>Forgets everything written after <paramref name="mark"/>.</summary>
    public void Restore(JsonWriterMark mark)
    {
        Length = mark.Length;
        _depth = mark.Depth;
        _hasItems[_depth] = mark.HasItems;
        _afterName = mark.AfterName;
        Overflowed = false;
    }

    public void BeginObject()
    {
        BeforeValue();
        WriteByte((byte)'{');
        Push();
    }

    public void EndObject()
    {
        Pop();
        WriteByte((byte)'}');
    }

    public void BeginArray()
    {
        BeforeValue();
        WriteByte((byte)'[');
        Push();
    }

    public void EndArray()
    {
        Pop();
        WriteByte((byte)']');
    }

    /// <summary>Writes an object member's name; the next value call writes its value.</summary>
    public void Name(string name)
    {
        if (_hasItems[_depth])
        {
            WriteByte((byte)',');
        }

        _hasItems[_depth] = true;
        WriteQuoted(name);
        WriteByte((byte)':');
        _afterName = true;
    }

    public void String(string value)
    {
        BeforeValue();
        WriteQuoted(value);
    }

    public void Number(long value)
    {
        BeforeValue();
        WriteInteger(value);
    }

    public void Boolean(bool value)
    {
        BeforeValue();
        WriteAscii(value ? "true" : "false");
    }

    public void Null()
    {
        BeforeValue();
        WriteAscii("null");
    }

    /// <summary>Writes an exact decimal as a JSON string with its scale kept: "-12.340", "0.005".</summary>
    public void Decimal(FixedDecimal value)
    {
        BeforeValue();
        WriteByte((byte)'"');
        var mantissa = value.Mantissa;
        var scale = value.Scale;
        if (mantissa < 0)
        {
            WriteByte((byte)'-');
        }

        var count = 0;
        do
        {
            var digit = (int)(mantissa % 10);
            _digits[count++] = (byte)('0' + (digit < 0 ? -digit : digit));
            mantissa /= 10;
        }
        while (mantissa != 0);

        while (count <= scale)
        {
            _digits[count++] = (byte)'0';
        }

        for (var i = count - 1; i >= 0; i--)
        {
            WriteByte(_digits[i]);
            if (i == scale && i != 0)
            {
                WriteByte((byte)'.');
            }
        }

        WriteByte((byte)'"');
    }

    /// <summary>Writes a UTC time as the string "yyyy-MM-ddTHH:mm:ssZ" (whole seconds).</summary>
    public void Time(System.DateTime utc)
    {
        BeforeValue();
        WriteByte((byte)'"');
        WriteDigits(utc.Year, 4);
        WriteByte((byte)'-');
        WriteDigits(utc.Month, 2);
        WriteByte((byte)'-');
        WriteDigits(utc.Day, 2);
        WriteByte((byte)'T');
        WriteDigits(utc.Hour, 2);
        WriteByte((byte)':');
        WriteDigits(utc.Minute, 2);
        WriteByte((byte)':');
        WriteDigits(utc.Second, 2);
        WriteByte((byte)'Z');
        WriteByte((byte)'"');
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_hasItems[_depth])
        {
            WriteByte((byte)',');
        }

        _hasItems[_depth] = true;
    }

    private void Push()
    {
        if (_depth + 1 >= _hasItems.Length)
        {
            throw new System.InvalidOperationException("JSON nesting deeper than the writer allows");
        }

        _depth++;
        _hasItems[_depth] = false;
    }

    private void Pop()
    {
        if (_depth == 0)
        {
            throw new System.InvalidOperationException("JSON end without a begin");
        }

        _depth--;
    }

    private void WriteQuoted(string text)
    {
        WriteByte((byte)'"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' || c == '\\')
            {
                WriteByte((byte)'\\');
                WriteByte((byte)c);
            }
            else if (c < 0x20)
            {
                WriteControl(c);
            }
            else if (c < 0x80)
            {
                WriteByte((byte)c);
            }
            else
            {
                int codePoint = c;
                if (Utf8.IsHighSurrogate(c) && i + 1 < text.Length && Utf8.IsLowSurrogate(text[i + 1]))
                {
                    codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                }
                else if (Utf8.IsHighSurrogate(c) || Utf8.IsLowSurrogate(c))
                {
                    codePoint = Utf8.ReplacementCharacter;
                }

                WriteCodePoint(codePoint);
            }
        }

        WriteByte((byte)'"');
    }

    private void WriteControl(char c)
    {
        WriteByte((byte)'\\');
        switch (c)
        {
            case '\b': WriteByte((byte)'b'); return;
            case '\f': WriteByte((byte)'f'); return;
            case '\n': WriteByte((byte)'n'); return;
            case '\r': WriteByte((byte)'r'); return;
            case '\t': WriteByte((byte)'t'); return;
        }

        WriteAscii("u00");
        WriteByte((byte)HexDigits[c >> 4]);
        WriteByte((byte)HexDigits[c & 0xF]);
    }

    private void WriteCodePoint(int codePoint)
    {
        if (Overflowed)
        {
            return;
        }

        var written = Utf8.EncodeCodePoint(codePoint, Buffer, Length);
        if (written < 0)
        {
            Overflowed = true;
            return;
        }

        Length += written;
    }

    private void WriteInteger(long value)
    {
        if (value < 0)
        {
            WriteByte((byte)'-');
        }

        var count = 0;
        do
        {
            var digit = (int)(value % 10);
            _digits[count++] = (byte)('0' + (digit < 0 ? -digit : digit));
            value /= 10;
        }
        while (value != 0);

        while (count > 0)
        {
            WriteByte(_digits[--count]);
        }
    }

    private void WriteDigits(int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            _digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        for (var i = 0; i < width; i++)
        {
            WriteByte(_digits[i]);
        }
    }

    private void WriteAscii(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            WriteByte((byte)text[i]);
        }
    }

    private void WriteByte(byte value)
    {
        if (Overflowed || Length >= Buffer.Length)
        {
            Overflowed = true;
            return;
        }

        Buffer[Length++] = value;
    }
}
