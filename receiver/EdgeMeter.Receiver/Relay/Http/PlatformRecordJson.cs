using System.Text.Json;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// Encodes records as the platform's JSON: every field a string, in the order of the published example.
/// A codec only: bytes out, no I/O.
/// </summary>
public static class PlatformRecordJson
{
    public static byte[] Serialize(PlatformRecord record, RecordStamp stamp) =>
        Encode(writer => Write(writer, record, stamp));

    /// <summary>Our batch extension: a JSON array of records.</summary>
    public static byte[] SerializeBatch(IEnumerable<PlatformRecord> records, RecordStamp stamp) =>
        Encode(writer =>
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                Write(writer, record, stamp);
            }

            writer.WriteEndArray();
        });

    public static void Write(Utf8JsonWriter writer, PlatformRecord record, RecordStamp stamp)
    {
        writer.WriteStartObject();
        writer.WriteString("enterpriseCode", stamp.EnterpriseCode);
        writer.WriteString("regVersion", stamp.RegVersion);
        writer.WriteString("dicVersion", stamp.DicVersion);
        writer.WriteString("dataCode", record.DataCode);
        writer.WriteString("dataValue", record.DataValue.ToString());
        writer.WriteString("convertRation", record.ConvertRation.ToString());
        writer.WriteString("valid", record.Valid ? "1" : "0");
        writer.WriteString("scope", Code((int)record.Scope));
        writer.WriteString("inputType", Code((int)record.InputType));
        writer.WriteString("statType", Code((int)record.StatType));
        writer.WriteString("statDate", PlatformTime.Format(record.StatDate));
        writer.WriteString("uploadDate", PlatformTime.Format(stamp.UploadDate));
        writer.WriteEndObject();
    }

    private static string Code(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
