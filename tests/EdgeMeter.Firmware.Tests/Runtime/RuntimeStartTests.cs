using System;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Firmware.Tests.Buffer;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Runtime;

/// <summary>
/// The whole gateway runtime built on the device's CLR as the firmware builds it (each meter's points let go once its
/// session is built): every meter gets its session and its point names, and the configuration keeps no points.
/// </summary>
[TestClass]
public static class RuntimeStartTests
{
    private const string Config = "{\"schema\":1,\"gatewayId\":\"gw-1\",\"keyVersion\":1,\"mqtt\":{\"host\":\"127.0.0.1\"},"
        + "\"buses\":[{\"id\":\"bus1\",\"link\":\"tcp://127.0.0.1:4001\"},{\"id\":\"bus2\",\"link\":\"tcp://127.0.0.1:4002\"}],\"meters\":[";

    [TestMethod]
    public static void A_runtime_that_lets_the_points_go_has_every_meter_and_point()
    {
        var text = Config;
        for (var m = 0; m < 4; m++)
        {
            text += (m == 0 ? "" : ",") + "{\"id\":\"m" + m + "\",\"bus\":\"bus" + (1 + (m % 2)) + "\",\"protocol\":\"dlt645\",\"address\":\"12345678901" + m
                + "\",\"points\":[{\"id\":\"e\",\"di\":\"00010000\",\"unit\":\"kWh\"},{\"id\":\"u\",\"di\":\"02010100\",\"unit\":\"V\"},{\"id\":\"i" + m + "\",\"di\":\"02020100\",\"unit\":\"A\"}]}";
        }

        var bytes = Utf8.GetBytes(text + "]}");
        var config = GatewayConfigReader.Read(bytes, bytes.Length, out var errors);
        Assert.AreEqual(0, errors.Length, errors.Length > 0 ? errors[0] : "");

        using var runtime = new GatewayRuntime(config!, new QuietPlatform(), null, true);

        Assert.AreEqual(2, runtime.Buses.Count);
        Assert.AreEqual(4, runtime.Buses.MeterCount);
        Assert.AreEqual("bus2", runtime.Buses.GetPoller(1).BusId);
        Assert.AreEqual("m1", runtime.Buses.GetPoller(1).GetMeter(0).MeterId);
        Assert.AreEqual(3, runtime.Buses.GetPoller(1).GetMeter(1).PointCount);
        Assert.AreEqual("i3", runtime.Points.PointId(3, 2));
        Assert.AreEqual("V", runtime.Points.Unit(2, 1));
        for (var m = 0; m < config!.Meters.Length; m++)
        {
            Assert.AreEqual(0, config.Meters[m].Points.Length, "meter " + m + " kept its points");
        }
    }

    // What a board provides, with nothing behind it: meters that never answer, a broker never reached.
    private sealed class QuietPlatform : IGatewayPlatform
    {
        public IClock Clock { get; } = new StillClock();

        public IPacketMac Mac { get; } = new ManagedPacketMac();

        public IFlashFileSystem BufferFiles { get; } = new MemoryFlashFileSystem();

        public IFlashFileSystem StateFiles { get; } = new MemoryFlashFileSystem();

        public string FirmwareVersion => "test";

        public long FreeMemory => 0;

        public IBusActivity BusActivity => NoBusActivity.Instance;

        public byte[]? Key(int keyVersion) => new byte[32];

        public IMeterLink OpenBus(BusSettings bus) => new SilentLink();

        public IMqttTransport OpenMqtt(GatewayConfig config) => new AbsentBroker();

        public void RequestRestart(string reason)
        {
        }

        public string? StageConfig(byte[] json, int count) => "not on this test";

        public string? UpdateFirmware(string url, string sha256, string signature) => "not on this test";

        public string? SetClock(DateTime utc) => "not on this test";
    }

    private sealed class SilentLink : IMeterLink
    {
        public int BaudRate => 2400;

        public int BitsPerCharacter => 11;

        public void Write(byte[] buffer, int offset, int count)
        {
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => 0;

        public void DiscardInput()
        {
        }
    }

    private sealed class AbsentBroker : IMqttTransport
    {
        public bool IsConnected => false;

        public void SetListener(IMqttTransportListener listener)
        {
        }

        public string? Connect(string willTopic, byte[] willPayload, string subscribeTopic) => "no broker on this test";

        public void Disconnect()
        {
        }

        public int Publish(string topic, byte[] payload, int count, bool retain) => -1;
    }
}
