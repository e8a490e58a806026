using System.Net;
using System.Text.Json;

namespace EdgeMeter.Receiver.Tests.PlatformSim;

/// <summary>GET /_sim/quality: the platform's data-quality rules applied to what an enterprise sent.</summary>
public class QualityReportTests
{
    private const string Exact = "000000000112000001";
    private const string Off = "000000000112000002";

    [Fact]
    public async Task Intervals_summing_to_the_day_and_days_to_the_month_pass_and_a_mismatch_is_counted()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        // Exact: 96 quarter hours of 1.25 = 120, the day 120, the month 120. Off: one quarter hour missing (118.75),
        // the day 119.75 and the month 130 (7.9 % beyond the day, outside the 5 % rule).
        for (var quarter = 0; quarter < 96; quarter++)
        {
            await Post(http, token, Exact, "0", new DateTime(2020, 5, 20).AddMinutes(15 * quarter), "1.25");
            if (quarter < 95)
            {
                await Post(http, token, Off, "0", new DateTime(2020, 5, 20).AddMinutes(15 * quarter), "1.25");
            }
        }

        await Post(http, token, Exact, "1", new DateTime(2020, 5, 20), "120");
        await Post(http, token, Exact, "2", new DateTime(2020, 5, 1), "120.00");
        await Post(http, token, Off, "1", new DateTime(2020, 5, 20), "119.75");
        await Post(http, token, Off, "2", new DateTime(2020, 5, 1), "130");

        using var response = await http.GetAsync("/_sim/quality", SimHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimHarness.Ct)).RootElement;
        var exact = Item(items, Exact);
        var off = Item(items, Off);

        Assert.Equal((0, 0), (exact.GetProperty("reconciliationFailures").GetInt32(), exact.GetProperty("daysBelowCompleteness").GetInt32()));
        Assert.Equal(("120.00", 100m), (exact.GetProperty("days")[0].GetProperty("intervalSum").GetString(), exact.GetProperty("days")[0].GetProperty("completenessPercent").GetDecimal()));
        Assert.Equal(2, off.GetProperty("reconciliationFailures").GetInt32());
        var day = off.GetProperty("days")[0];
        Assert.Equal(("118.75", 95, 99.0m, false), (day.GetProperty("intervalSum").GetString(), day.GetProperty("validIntervals").GetInt32(), day.GetProperty("completenessPercent").GetDecimal(), day.GetProperty("exact").GetBoolean()));
        var month = off.GetProperty("months")[0];
        Assert.Equal((false, false), (month.GetProperty("withinRule").GetBoolean(), month.GetProperty("exact").GetBoolean()));
    }

    [Fact]
    public async Task A_correction_replaces_the_value_it_corrects()
    {
        await using var sim = await SimHarness.StartAsync();
        using var http = SimHarness.HttpFor(sim);
        var token = await SimHarness.LoginAsync(http);
        await Post(http, token, Exact, "1", new DateTime(2020, 5, 20), "10", "e:1:20200520");
        await Post(http, token, Exact, "1", new DateTime(2020, 5, 20), "12.5", "e:1:20200520:r1");
        await Post(http, token, Exact, "2", new DateTime(2020, 5, 1), "12.5", "e:2:202005");

        using var response = await http.GetAsync("/_sim/quality", SimHarness.Ct);
        var item = Item(JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimHarness.Ct)).RootElement, Exact);

        Assert.Equal("12.5", item.GetProperty("days")[0].GetProperty("value").GetString());
        Assert.True(item.GetProperty("months")[0].GetProperty("exact").GetBoolean());
    }

    private static JsonElement Item(JsonElement items, string dataCode) =>
        items.EnumerateArray().Single(i => i.GetProperty("dataCode").GetString() == dataCode);

    private static async Task Post(HttpClient http, string token, string dataCode, string statType, DateTime statDate, string value, string? key = null)
    {
        var record = SimHarness.ValidRecord(statDate.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        record["dataCode"] = dataCode;
        record["statType"] = statType;
        record["dataValue"] = value;
        var (status, body) = await SimHarness.PostAsync(http, "dataEnterpriseEnergy", record, token, key);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }
}
