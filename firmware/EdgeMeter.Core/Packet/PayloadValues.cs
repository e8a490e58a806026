using EdgeMeter.Core.Json;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Packet;

/// <summary>Typed values of payload tokens that <see cref="PayloadSchema"/> has already checked.</summary>
internal static class PayloadValues
{
    public static System.DateTime TimeOf(JsonReader json, int token)
    {
        PacketText.TryParseTime(json.Text, json.TextStart(token), json.TextLength(token), out var time);
        return time;
    }

    public static FixedDecimal DecimalOf(JsonReader json, int token)
    {
        PacketText.TryParseDecimal(json.Text, json.TextStart(token), json.TextLength(token), out var value);
        return value;
    }

    public static long IntegerOf(JsonReader json, int token)
    {
        json.TryGetInt64(token, out var value);
        return value;
    }

    public static ReadingFlags FlagsOf(JsonReader json, int flags)
    {
        var result = 0;
        var flag = json.FirstChild(flags);
        for (var i = 0; i < json.Count(flags); i++)
        {
            result |= 1 << PacketNames.FlagBitOf(json, flag);
            flag = json.Skip(flag);
        }

        return (ReadingFlags)result;
    }
}
