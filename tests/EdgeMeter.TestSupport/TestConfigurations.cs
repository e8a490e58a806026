using EdgeMeter.Core.Packet;

namespace EdgeMeter.TestSupport;

/// <summary>Gateway configurations the tests share.</summary>
public static class TestConfigurations
{
    /// <summary>
    /// A valid configuration of exactly <see cref="PacketLimits.MaxArgumentLength"/> characters, the most set-config
    /// carries: Modbus meters with three typed points each (at most 64 meters, the configuration's limit), padded with spaces.
    /// </summary>
    public static string Largest(string gatewayId = "gw-0001")
    {
        var meters = new List<string>();
        string Text(int count) => $"{{\"schema\":1,\"gatewayId\":\"{gatewayId}\",\"keyVersion\":1,\"mqtt\":{{\"host\":\"receiver.plant.local\",\"port\":8883,\"tls\":true}},"
            + "\"buses\":[{\"id\":\"rs485-1\",\"link\":\"uart:COM2\",\"baud\":9600}],\"meters\":[" + string.Join(",", meters.Take(count)) + "]}";
        for (var i = 1; i <= 64; i++)
        {
            meters.Add($"{{\"id\":\"pm-{i:000}\",\"bus\":\"rs485-1\",\"protocol\":\"modbus\",\"unit\":{i},\"pollSeconds\":900,\"points\":["
                + $"{{\"id\":\"kWh\",\"register\":{4000 + i},\"type\":\"uint32\",\"decimals\":2,\"unit\":\"kWh\"}},"
                + $"{{\"id\":\"kW\",\"register\":{5000 + i},\"type\":\"int32\",\"decimals\":3,\"unit\":\"kW\"}},"
                + $"{{\"id\":\"kvarh\",\"register\":{6000 + i},\"type\":\"uint32\",\"decimals\":2,\"unit\":\"kvarh\"}}]}}");
        }

        var fit = Enumerable.Range(1, meters.Count).Last(n => Text(n).Length <= PacketLimits.MaxArgumentLength);
        return Text(fit).PadRight(PacketLimits.MaxArgumentLength);
    }
}
