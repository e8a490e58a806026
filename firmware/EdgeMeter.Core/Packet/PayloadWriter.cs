using EdgeMeter.Core.Json;
using EdgeMeter.Core.Messages;

namespace EdgeMeter.Core.Packet;

/// <summary>Writes payload JSON in the contract's fixed member order (docs/packet-format.md).</summary>
internal static class PayloadWriter
{
    public static void BeginEnvelope(JsonWriter json, PacketKind kind, int schema, string gatewayId, long sequence, System.DateTime createdUtc)
    {
        json.Reset();
        json.BeginObject();
        json.Name(PacketFields.Version);
        json.Number(schema);
        json.Name(PacketFields.Kind);
        json.String(PacketNames.Kind(kind));
        json.Name(PacketFields.Gateway);
        json.String(gatewayId);
        json.Name(PacketFields.Sequence);
        json.Number(sequence);
        json.Name(PacketFields.Created);
        json.Time(createdUtc);
    }

    public static void Reading(JsonWriter json, PacketReading reading)
    {
        json.BeginObject();
        json.Name(PacketFields.ReadingSequence);
        json.Number(reading.Sequence);
        json.Name(PacketFields.Meter);
        json.String(reading.MeterId);
        json.Name(PacketFields.Point);
        json.String(reading.PointId);
        json.Name(PacketFields.Time);
        json.Time(reading.TimeUtc);
        json.Name(PacketFields.Value);
        json.Decimal(reading.Value);
        json.Name(PacketFields.Unit);
        json.String(reading.Unit);
        json.Name(PacketFields.Quality);
        Flags(json, (int)reading.Flags);
        json.EndObject();
    }

    /// <summary>Quality flags as an array of their names, in the contract's order.</summary>
    public static void Flags(JsonWriter json, int flags)
    {
        json.BeginArray();
        for (var bit = 0; bit < PacketNames.FlagCount; bit++)
        {
            if ((flags & (1 << bit)) != 0)
            {
                json.String(PacketNames.Flag(bit));
            }
        }

        json.EndArray();
    }

    public static void Status(JsonWriter json, GatewayStatus status)
    {
        json.Name(PacketFields.State);
        json.String(PacketNames.State(status.State));
        json.Name(PacketFields.Firmware);
        json.String(status.Firmware);
        json.Name(PacketFields.Uptime);
        json.Number(status.UptimeSeconds);
        json.Name(PacketFields.ClockSynchronized);
        json.Boolean(status.ClockSynchronized);
        json.Name(PacketFields.Queued);
        json.Number(status.QueuedReadings);
        json.Name(PacketFields.Will);
        json.Number(status.WillSequence);
        json.Name(PacketFields.Memory);
        json.Number(status.FreeMemory);
        json.Name(PacketFields.Dropped);
        json.Number(status.DroppedReadings);
        json.Name(PacketFields.Reconnects);
        json.Number(status.Connections);
        json.Name(PacketFields.PlatformMessage);
        json.String(status.PlatformMessage);
        json.Name(PacketFields.Meters);
        json.BeginArray();
        for (var i = 0; i < status.MeterCount; i++)
        {
            var meter = status.Meter(i);
            json.BeginObject();
            json.Name(PacketFields.HealthId);
            json.String(meter.Id);
            json.Name(PacketFields.Online);
            json.Boolean(meter.Online);
            Counters(json, meter.Requests, meter.Timeouts, meter.Errors);
            json.Name(PacketFields.Latency);
            json.Number(meter.LatencyMilliseconds);
            json.Name(PacketFields.Drift);
            json.Number(meter.ClockDriftSeconds);
            json.EndObject();
        }

        json.EndArray();
        json.Name(PacketFields.Buses);
        json.BeginArray();
        for (var i = 0; i < status.BusCount; i++)
        {
            var bus = status.Buses[i];
            json.BeginObject();
            json.Name(PacketFields.HealthId);
            json.String(bus.Id);
            Counters(json, bus.Requests, bus.Timeouts, bus.Errors);
            json.EndObject();
        }

        json.EndArray();
    }

    private static void Counters(JsonWriter json, long requests, long timeouts, long errors)
    {
        json.Name(PacketFields.Requests);
        json.Number(requests);
        json.Name(PacketFields.Timeouts);
        json.Number(timeouts);
        json.Name(PacketFields.Errors);
        json.Number(errors);
    }

    public static void Command(JsonWriter json, GatewayCommand command)
    {
        json.Name(PacketFields.Expires);
        json.Time(command.ExpiresUtc);
        json.Name(PacketFields.Name);
        json.String(command.Name);
        json.Name(PacketFields.Arguments);
        json.BeginObject();
        for (var i = 0; i < command.Arguments.Length; i++)
        {
            json.Name(command.Arguments[i].Name);
            json.String(command.Arguments[i].Value);
        }

        json.EndObject();
    }

    public static void Reply(JsonWriter json, CommandReply reply)
    {
        json.Name(PacketFields.Command);
        json.Number(reply.CommandSequence);
        json.Name(PacketFields.Result);
        json.String(PacketNames.Result(reply.Result));
        json.Name(PacketFields.Message);
        json.String(reply.Message);
    }
}
