using EdgeMeter.Receiver.Relay;
using System.Text;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Tests.Relay.Http;

public class PlatformRecordJsonTests
{
    private static readonly RecordStamp Stamp = new("91530100MA6NXKB7X1", "1.0", "2.0", new DateTime(2020, 5, 20, 10, 16, 2));

    private static readonly PlatformRecord Example = new()
    {
        DataCode = "000000000112000001",
        DataValue = new FixedDecimal(12345, 2),
        ConvertRation = new FixedDecimal(1229, 3),
        StatDate = new DateTime(2020, 5, 20, 10, 15, 0),
    };

    [Fact]
    public void A_record_is_the_published_example_field_for_field()
    {
        var json = Encoding.UTF8.GetString(PlatformRecordJson.Serialize(Example, Stamp));

        Assert.Equal(
            """{"enterpriseCode":"91530100MA6NXKB7X1","regVersion":"1.0","dicVersion":"2.0","dataCode":"000000000112000001","dataValue":"123.45","convertRation":"1.229","valid":"1","scope":"1","inputType":"4","statType":"0","statDate":"2020-05-20 10:15:00","uploadDate":"2020-05-20 10:16:02"}""",
            json);
    }

    [Fact]
    public void Values_keep_their_scale_and_sign_and_codes_their_numbers()
    {
        var record = Example with
        {
            DataValue = new FixedDecimal(-500, 3),
            ConvertRation = new FixedDecimal(0, 0),
            StatType = StatType.Year,
            InputType = InputType.ManualEntry,
            Scope = DataScope.KeyEquipment,
            Valid = false,
        };

        var json = Encoding.UTF8.GetString(PlatformRecordJson.Serialize(record, Stamp));

        Assert.Contains("\"dataValue\":\"-0.500\",\"convertRation\":\"0\",\"valid\":\"0\",\"scope\":\"4\",\"inputType\":\"5\",\"statType\":\"3\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_is_an_array_of_records()
    {
        var json = Encoding.UTF8.GetString(PlatformRecordJson.SerializeBatch([Example, Example with { DataCode = "010100000212000002" }], Stamp));

        Assert.StartsWith("[{\"enterpriseCode\"", json, StringComparison.Ordinal);
        Assert.Contains("},{\"enterpriseCode\"", json, StringComparison.Ordinal);
        Assert.Contains("010100000212000002", json, StringComparison.Ordinal);
        Assert.EndsWith("}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_time_is_beijing_wall_clock()
    {
        var utc = new DateTime(2020, 5, 19, 16, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2020, 5, 20, 0, 0, 0), PlatformTime.FromUtc(utc));
        Assert.Equal("2020-05-20 00:00:00", PlatformTime.Format(PlatformTime.FromUtc(utc)));
        Assert.Equal(new DateTimeOffset(2020, 5, 19, 18, 0, 0, TimeSpan.Zero), PlatformTime.ParseInstant("2020-05-20 02:00:00 000"));
        Assert.Equal(new DateTimeOffset(2020, 5, 19, 18, 0, 0, TimeSpan.Zero), PlatformTime.ParseInstant("2020-05-20 02:00"));
        Assert.Null(PlatformTime.ParseInstant("tomorrow"));
    }

    [Theory]
    [InlineData("gw-1:12:0", null)]
    [InlineData("gw,1", "Idempotency-Key: ")]
    [InlineData("gw 1", "Idempotency-Key: ")]
    [InlineData("", "Idempotency-Key: ")]
    public void Keys_are_checked_before_sending(string key, string? expected)
    {
        var problem = (Example with { IdempotencyKey = key }).Problem();

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_key_names_enterprise_item_stat_type_and_beijing_start_and_a_correction_its_revision()
    {
        var start = new DateTime(2026, 5, 19, 16, 0, 0, DateTimeKind.Utc); // 2026-05-20 00:00 Beijing
        Assert.Equal("91530100MA6NXKB7X1:000000000112000001:1:202605200000", HttpTier.KeyFor("91530100MA6NXKB7X1", "000000000112000001", StatType.Day, start, 0));
        Assert.Equal("91530100MA6NXKB7X1:000000000112000001:1:202605200000:r2", HttpTier.KeyFor("91530100MA6NXKB7X1", "000000000112000001", StatType.Day, start, 2));
    }

    [Fact]
    public void Codes_outside_the_lists_are_caught_locally()
    {
        Assert.StartsWith("statType/inputType/scope: ", (Example with { StatType = (StatType)7 }).Problem(), StringComparison.Ordinal);
        Assert.StartsWith("convertRation: ", (Example with { ConvertRation = new FixedDecimal(-1, 0) }).Problem(), StringComparison.Ordinal);
    }
}
