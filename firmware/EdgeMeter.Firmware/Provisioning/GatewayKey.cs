using System.IO;
using EdgeMeter.Core.Keys;

namespace EdgeMeter.Firmware.Provisioning;

/// <summary>The gateway's HMAC key as provisioned on I: (<see cref="DevicePaths.KeyFile"/>, key-file format of docs/packet-format.md).</summary>
public sealed class GatewayKey
{
    private GatewayKey(string gatewayId, int keyVersion, byte[] key)
    {
        GatewayId = gatewayId;
        KeyVersion = keyVersion;
        Key = key;
    }

    public string GatewayId { get; }

    public int KeyVersion { get; }

    public byte[] Key { get; }

    /// <summary>Reads the key file; null with a one-line <paramref name="error"/> when it is missing or not exactly one valid key.</summary>
    public static GatewayKey? Read(string path, out string error)
    {
        if (!File.Exists(path))
        {
            error = path + " is missing: provision the gateway (edgemeter provision, then nanoff --filedeployment)";
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var reader = new Collector();
        if (!PacketKeyFile.TryRead(bytes, 0, bytes.Length, reader.Add, out error))
        {
            error = path + ": " + error;
            return null;
        }

        if (reader.Count != 1)
        {
            error = path + " must hold exactly one key, not " + reader.Count.ToString();
            return null;
        }

        return new GatewayKey(reader.GatewayId, reader.KeyVersion, reader.Key);
    }

    private sealed class Collector
    {
        public int Count;
        public string GatewayId = "";
        public int KeyVersion;
        public byte[] Key = new byte[0];

        public void Add(string gatewayId, int keyVersion, byte[] key)
        {
            Count++;
            GatewayId = gatewayId;
            KeyVersion = keyVersion;
            Key = key;
        }
    }
}
