using EdgeMeter.Core.Config;
using EdgeMeter.Core.Text;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Config;

/// <summary>
/// The configuration read a meter at a time on the device's runtime, as the firmware reads its file: every meter
/// and point arrives, and a file whose meters are not valid JSON gets the one JSON error.
/// </summary>
[TestClass]
public static class ConfigReadingTests
{
    private const string Head = "{\"schema\":1,\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"mqtt\":{\"host\":\"127.0.0.1\",\"password\":\"p,[]\\\"{\\\\\"},"
        + "\"buses\":[{\"id\":\"bus1\",\"link\":\"tcp://127.0.0.1:4001\"}],\"meters\":[";

    private const string Tail = "],\"upload\":{\"intervalSeconds\":30}}";

    [TestMethod]
    public static void Every_meter_and_point_of_a_file_read_a_meter_at_a_time_arrives()
    {
        var text = Head;
        for (var m = 0; m < 6; m++)
        {
            text += (m == 0 ? "" : ",") + "{\"id\":\"m" + m + "\",\"bus\":\"bus1\",\"protocol\":\"dlt645\",\"address\":\"12345678901" + m
                + "\",\"points\":[{\"id\":\"e\",\"di\":\"00010000\",\"unit\":\"kWh\"},{\"id\":\"u\",\"di\":\"02010100\",\"unit\":\"V\"}]}";
        }

        var bytes = Utf8.GetBytes(text + Tail);
        var config = GatewayConfigReader.Read(new PiecewiseSource(bytes), out var errors);

        Assert.AreEqual(0, errors.Length, errors.Length > 0 ? errors[0] : "");
        Assert.AreEqual(6, config!.Meters.Length);
        Assert.AreEqual("m5", config.Meters[5].Id);
        Assert.AreEqual("e", config.Meters[5].Points[0].Id);
        Assert.AreEqual("p,[]\"{\\", config.Mqtt.Password);
        Assert.AreEqual((uint)0x02010100, config.Meters[3].Points[1].DataIdentifier);
        Assert.AreEqual(30, config.Upload.IntervalSeconds);
    }

    [TestMethod]
    public static void A_meter_that_is_not_valid_json_gets_the_one_json_error()
    {
        const string Rest = "\"bus\":\"bus1\",\"protocol\":\"dlt645\",\"address\":\"123456789012\",\"points\":[{\"id\":\"e\",\"di\":\"00010000\"}]}";
        var bytes = Utf8.GetBytes(Head + "{\"id\":\"m1\"," + Rest + ",{\"id\":\"m2\",\"id\":\"x\"," + Rest + Tail); // a duplicate name in the second

        Assert.IsNull(GatewayConfigReader.Read(new PiecewiseSource(bytes), out var errors));

        Assert.AreEqual(1, errors.Length);
        Assert.IsTrue(errors[0].IndexOf("$: not valid JSON (") == 0, errors[0]);
    }

    // The file as the firmware's FileBytes gives it: read where asked, never handed over whole.
    private sealed class PiecewiseSource : IByteSource
    {
        private readonly byte[] _bytes;

        public PiecewiseSource(byte[] bytes) => _bytes = bytes;

        public int Length => _bytes.Length;

        public void Read(int offset, byte[] into, int at, int count) => System.Array.Copy(_bytes, offset, into, at, count);
    }
}
