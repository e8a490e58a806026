namespace EdgeMeter.Core.Packet;

/// <summary>
/// What the contract allows in each text field. The signer refuses values that break these rules and the verifier
/// refuses packets that carry them, so configuration can be checked with the same rules up front. The string
/// overloads allocate nothing (the signer calls them per reading).
/// </summary>
public static class PayloadRules
{
    /// <summary>Meter ids, point ids, command and argument names: 1-32 of A-Z a-z 0-9 '_' '-' '.' ':'.</summary>
    public static bool IsIdentifier(string text)
    {
        if (text == null || text.Length < 1 || text.Length > PacketLimits.MaxIdentifierLength)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!IsIdentifierCharacter(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIdentifier(char[] text, int start, int length)
    {
        if (length < 1 || length > PacketLimits.MaxIdentifierLength)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            if (!IsIdentifierCharacter(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Units ("kWh", "m³", "℃"): 1-16 characters, no control characters.</summary>
    public static bool IsUnit(string text)
    {
        if (text == null || text.Length < 1 || text.Length > PacketLimits.MaxUnitLength)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsUnit(char[] text, int start, int length)
    {
        if (length < 1 || length > PacketLimits.MaxUnitLength)
        {
            return false;
        }

        for (var i = start; i < start + length; i++)
        {
            if (IsControl(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Free text (firmware version, argument values, messages): at most 200 characters (UTF-16 units).</summary>
    public static bool IsText(string text) => text != null && text.Length <= PacketLimits.MaxTextLength;

    public static bool IsArgument(string text) => text != null && text.Length <= PacketLimits.MaxArgumentLength;

    public static bool IsSequence(long value) => value >= 0 && value <= PacketLimits.MaxSequence;


    private static bool IsIdentifierCharacter(char c) => IsAlphanumeric(c) || c == '_' || c == '-' || c == '.' || c == ':';

    private static bool IsAlphanumeric(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    private static bool IsControl(char c) => c < 0x20 || c == 0x7F;
}
