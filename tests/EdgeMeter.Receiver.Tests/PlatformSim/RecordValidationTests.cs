using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeMeter.Receiver.Tests.PlatformSim;

public class RecordValidationTests
{
    [Fact]
    public async Task The_published_example_record_is_accepted_as_sent()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", SimHarness.ValidRecord(), token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("responseCode").GetInt32());
        var stored = Assert.Single(sim.Records);
        Assert.Equal("123.45", stored.DataValue);
        Assert.Equal("1.229", stored.ConvertRation);
        Assert.Equal("2020-05-20 10:15:00", stored.StatDate);
        Assert.Equal("provincial", stored.Platform);
    }

    /// <summary>value null removes the field; any other value replaces it (numbers stay JSON numbers).</summary>
    [Theory]
    [InlineData("enterpriseCode", "91530100MA6NXKB7X", 400)]
    [InlineData("enterpriseCode", "91530100MA6NXKB7XI", 400)]
    [InlineData("enterpriseCode", "91530100ma6nxkb7xl", 400)]
    [InlineData("enterpriseCode", "91110000MA01ABCD2Q", 403)]
    [InlineData("dataCode", "00000000011200000", 400)]
    [InlineData("dataCode", "0000000001120000A1", 400)]
    [InlineData("dataCode", "000000000012000001", 400)]
    [InlineData("dataCode", "000000001112000001", 400)]
    [InlineData("dataValue", "1e3", 400)]
    [InlineData("dataValue", "12.", 400)]
    [InlineData("dataValue", ".5", 400)]
    [InlineData("dataValue", "1,5", 400)]
    [InlineData("dataValue", " 12.5", 400)]
    [InlineData("dataValue", "", 400)]
    [InlineData("dataValue", "1234567890.1234567890", 400)]
    [InlineData("dataValue", 12.5, 400)]
    [InlineData("convertRation", "abc", 400)]
    [InlineData("convertRation", "-1.2", 400)]
    [InlineData("valid", "2", 400)]
    [InlineData("valid", 1, 400)]
    [InlineData("scope", "0", 400)]
    [InlineData("scope", "5", 400)]
    [InlineData("inputType", "0", 400)]
    [InlineData("inputType", "6", 400)]
    [InlineData("statType", "4", 400)]
    [InlineData("statType", "-1", 400)]
    [InlineData("statDate", "2020-05-20T10:15:00", 400)]
    [InlineData("statDate", "2020-05-20 10:15", 400)]
    [InlineData("statDate", "2020-13-20 10:15:00", 400)]
    [InlineData("uploadDate", "20/05/2020 10:16:02", 400)]
    [InlineData("regVersion", "0.9", 409)]
    [InlineData("dicVersion", "2.0", 409)]
    [InlineData("statType", null, 400)]
    [InlineData("regVersion", null, 400)]
    public async Task A_bad_field_is_refused_with_a_message_naming_it(string field, object? value, int expectedCode)
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var record = SimHarness.ValidRecord();
        if (value is null)
        {
            record.Remove(field);
        }
        else
        {
            record[field] = JsonSerializer.SerializeToNode(value);
        }

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token);

        Assert.Equal(expectedCode, (int)status);
        Assert.Equal(expectedCode, body.GetProperty("responseCode").GetInt32());
        Assert.Equal(field, body.GetProperty("data").GetProperty("field").GetString());
        Assert.StartsWith(field + ": ", body.GetProperty("responseMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(sim.Records);
        Assert.Equal(1, sim.Stats.Rejected);
        Assert.Equal(0, sim.Stats.Accepted);
    }

    [Theory]
    [InlineData("0", "0", "0", "2020-05-20 10:15:00")]
    [InlineData("-17.250", "0", "3", "2020-01-01 00:00:00")]
    [InlineData("123456789012345678", "0.000000001", "2", "2020-05-01 00:00:00")]
    public async Task Exact_decimal_edge_values_are_accepted(string dataValue, string convertRation, string statType, string statDate)
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var record = SimHarness.ValidRecord(statDate);
        record["dataValue"] = dataValue;
        record["convertRation"] = convertRation;
        record["statType"] = statType;

        var (status, _) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(dataValue, Assert.Single(sim.Records).DataValue);
    }

    [Theory]
    [InlineData("0", "2020-05-20 10:10:00", ":15, :30")]
    [InlineData("0", "2020-05-20 10:15:30", ":15, :30")]
    [InlineData("1", "2020-05-20 10:15:00", "00:00:00")]
    [InlineData("2", "2020-05-02 00:00:00", "on the 1st")]
    [InlineData("3", "2020-02-01 00:00:00", "1 January")]
    public async Task A_value_stamped_against_the_quality_rules_is_refused_naming_the_rule(string statType, string statDate, string rule)
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        var record = SimHarness.ValidRecord(statDate);
        record["statType"] = statType;

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(rule, body.ToString(), StringComparison.Ordinal);
        Assert.Empty(sim.Records);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);

        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", JsonValue.Create("just a string"), token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body", body.GetProperty("data").GetProperty("field").GetString());
    }
}
