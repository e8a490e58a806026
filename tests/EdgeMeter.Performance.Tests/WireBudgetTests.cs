using EdgeMeter.Benchmarks.Reports;

namespace EdgeMeter.Performance.Tests;

/// <summary>
/// Issue 20, part 3: a reading's cost on the cellular link, counted exactly (bytes, not time), for the typical
/// 16-meter gateway of 8 points each at the default packet size, through the whole gateway core.
/// </summary>
public sealed class WireBudgetTests
{
    [Theory]
    [InlineData(900)]
    [InlineData(60)]
    public void Schema_v2_sends_a_reading_in_at_most_40_mqtt_bytes(int pollSeconds)
    {
        var v2 = WireReport.Measure(payloadVersion: 2, pollSeconds, cycles: 8);
        var v1 = WireReport.Measure(payloadVersion: 1, pollSeconds, cycles: 8);

        Assert.Equal(8 * 128, v2.Readings);
        Assert.Equal(v1.Readings, v2.Readings);
        Assert.True(v2.MqttBytesPerReading <= 40, $"v2: {v2.MqttBytesPerReading:F1} MQTT bytes per reading, {v2.ReadingsPerPacket:F1} readings per packet");
        Assert.True(v1.MqttBytesPerReading > 3 * v2.MqttBytesPerReading, $"v1 {v1.MqttBytesPerReading:F1} against v2 {v2.MqttBytesPerReading:F1} bytes per reading");
    }
}
