using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Tests.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Uplink;

public class UplinkPublisherTests
{
    [Fact]
    public void Every_reading_arrives_once_in_order_and_the_cursor_follows_the_acknowledgements()
    {
        using var rig = new UplinkRig();
        rig.Append(95);

        rig.Step();
        Assert.Equal(4, rig.Transport.Pending.Count(p => p.Topic.EndsWith("/up", StringComparison.Ordinal)));
        Assert.Equal(0, rig.Buffer.AcknowledgedThrough);

        for (var round = 0; round < 20; round++)
        {
            rig.Transport.Acknowledge();
            rig.Step();
        }

        var delivered = rig.DeliveredReadings();
        Assert.Equal(Enumerable.Range(1, 95).Select(i => (long)i), delivered.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 95).Select(i => new FixedDecimal(i, 2).ToString()), delivered.Select(r => r.Value.ToString()));
        Assert.Equal(["energy", "voltage", "power"], delivered.Take(3).Select(r => r.PointId));
        Assert.Equal(95, rig.Buffer.AcknowledgedThrough);
        Assert.Equal(0, rig.Buffer.Depth);
        Assert.Equal(95, rig.Publisher.ReadingsAcknowledged);
    }

    [Fact]
    public void Readings_of_a_point_no_longer_configured_are_skipped_and_counted_and_the_rest_go_out_in_order()
    {
        using var rig = new UplinkRig();
        for (var i = 0; i < 30; i++)
        {
            // Every third reading names point 7 of meter 0: a configuration change removed it (the rig knows 3 points).
            var reading = new EdgeMeter.Core.Buffer.Reading(0, i % 3 == 2 ? 7 : i % 3, rig.Clock.UtcNow, new FixedDecimal(i, 0), EdgeMeter.Core.Buffer.ReadingQuality.Good);
            rig.Buffer.Append(ref reading);
        }

        rig.Buffer.Commit();
        for (var round = 0; round < 10; round++)
        {
            rig.Step();
            rig.Transport.Acknowledge();
        }

        var delivered = rig.DeliveredReadings();
        Assert.Equal(Enumerable.Range(1, 30).Where(n => n % 3 != 0).Select(n => (long)n), delivered.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 != 2).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), delivered.Select(r => r.Value.ToString()));
        Assert.Equal(10, rig.Publisher.ReadingsOrphaned);
        Assert.Equal(30, rig.Buffer.AcknowledgedThrough);
    }

    [Fact]
    public void The_cursor_never_passes_an_unacknowledged_packet()
    {
        using var rig = new UplinkRig();
        rig.Append(40);
        rig.Step();
        Assert.Equal(4, rig.Transport.Pending.Count(p => p.Topic.EndsWith("/up", StringComparison.Ordinal)));

        rig.Transport.Acknowledge(2); // the status packet and the first 10 readings
        rig.Step();
        Assert.Equal(10, rig.Buffer.AcknowledgedThrough);
    }

    [Fact]
    public void A_partly_filled_packet_waits_for_the_upload_interval()
    {
        using var rig = new UplinkRig();
        rig.Step();
        rig.Append(3);
        rig.Step();
        Assert.Single(rig.Transport.Pending, p => p.Topic.EndsWith("/up", StringComparison.Ordinal));
        rig.Transport.Acknowledge();
        rig.Append(3);
        rig.Publisher.Step();
        Assert.DoesNotContain(rig.Transport.Pending, p => p.Topic.EndsWith("/up", StringComparison.Ordinal));

        rig.Clock.Advance(rig.Options.UploadIntervalMilliseconds);
        rig.Publisher.Step();
        Assert.Single(rig.Transport.Pending, p => p.Topic.EndsWith("/up", StringComparison.Ordinal));
    }

    [Fact]
    public void After_an_outage_the_backlog_arrives_in_order_while_new_readings_are_not_held_back()
    {
        using var rig = new UplinkRig();
        rig.Transport.BrokerUp = false;
        rig.Append(500);
        rig.Step(50);
        Assert.Empty(rig.Transport.Delivered);

        rig.Transport.BrokerUp = true;
        rig.Clock.Advance(60_000);
        rig.Step();
        rig.Append(1); // reading 501 is taken after the reconnect
        var stepsUntilLiveSent = -1;
        for (var step = 0; step < 200; step++)
        {
            rig.Transport.Acknowledge();
            rig.Clock.Advance(rig.Options.UploadIntervalMilliseconds);
            rig.Publisher.Step();
            if (stepsUntilLiveSent < 0 && rig.DeliveredReadings().Any(r => r.Sequence == 501))
            {
                stepsUntilLiveSent = step;
            }
        }

        var backlog = rig.DeliveredReadings().Where(r => r.Sequence <= 500).Select(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), backlog);
        Assert.InRange(stepsUntilLiveSent, 0, 2);
        Assert.Equal(501, rig.Buffer.AcknowledgedThrough);
    }

    [Fact]
    public void A_lost_connection_resends_what_was_in_flight_with_the_same_reading_numbers()
    {
        using var rig = new UplinkRig();
        rig.Append(30);
        rig.Step();
        rig.Transport.Acknowledge(2); // status + readings 1-10
        rig.Transport.Drop();         // readings 11-30 were in flight
        rig.Step();
        rig.Clock.Advance(5_000);
        for (var i = 0; i < 10; i++)
        {
            rig.Step();
            rig.Transport.Acknowledge();
        }

        rig.Step();
        var sequences = rig.DeliveredReadings().Select(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), sequences);
        Assert.Equal(30, rig.Buffer.AcknowledgedThrough);
        Assert.Equal(2, rig.Transport.Connects);
    }

    [Fact]
    public void After_a_power_cut_unacknowledged_readings_are_resent_and_packet_numbers_keep_rising()
    {
        using var rig = new UplinkRig();
        rig.Append(30);
        rig.Step();
        rig.Transport.Acknowledge(3); // status, readings 1-10 and 11-20; 21-30 in flight at the cut
        rig.Step();
        var before = rig.PacketSequences("up").Concat(rig.PacketSequences("status")).Max();

        rig.Restart();
        for (var i = 0; i < 10; i++)
        {
            rig.Step();
            rig.Transport.Acknowledge();
        }

        rig.Step();
        var readings = rig.DeliveredReadings().Select(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), readings);
        Assert.All(rig.PacketSequences("up").Skip(2), seq => Assert.True(seq > before));
        Assert.Equal(30, rig.Buffer.AcknowledgedThrough);
    }

    [Fact]
    public void The_last_will_is_a_signed_offline_status_announced_by_the_online_status()
    {
        using var rig = new UplinkRig();
        rig.Step();
        rig.Transport.Acknowledge();
        var verifier = new PacketVerifier(new SingleKeyStore(TestKeys.Gateway1V1), new ManagedPacketMac(), 1024);

        Assert.Equal(PacketError.None, verifier.Verify(rig.Transport.Will!, 0, rig.Transport.Will!.Length, "gw-0001", PacketKind.Status, rig.Clock.UtcNow));
        var will = new GatewayStatus();
        verifier.Packet.GetStatus(will);
        Assert.Equal(GatewayState.Offline, will.State);
        var willSequence = verifier.Packet.Sequence;

        var online = rig.Transport.Delivered.Single(d => d.Topic.EndsWith("/status", StringComparison.Ordinal));
        Assert.True(online.Retain);
        verifier.Verify(online.Payload, 0, online.Payload.Length, rig.Clock.UtcNow);
        var status = new GatewayStatus();
        verifier.Packet.GetStatus(status);
        Assert.Equal(GatewayState.Online, status.State);
        Assert.Equal(willSequence, status.WillSequence);
    }

    [Fact]
    public void Commands_on_the_down_topic_are_answered_on_the_reply_topic()
    {
        using var rig = new UplinkRig();
        rig.Step();
        rig.Transport.Arrive("edgemeter/v1/gw-0001/down", [1, 2, 3]);
        rig.Transport.Arrive("edgemeter/v1/gw-0002/down", [9]);
        rig.Step();
        Assert.Single(rig.Commands);
        Assert.Contains(rig.Transport.Pending, p => p.Topic == "edgemeter/v1/gw-0001/reply");
    }

    [Fact]
    public void When_fewer_readings_fit_a_packet_than_are_read_the_buffer_is_still_read_sequentially()
    {
        using var rig = new UplinkRig(new UplinkOptions { MaxReadingsPerPacket = 40, Window = 4, UploadIntervalMilliseconds = 1000 }, maxPacketBytes: 1024);
        rig.Append(2000);
        var before = rig.BufferFlash.BytesRead;
        for (var round = 0; round < 400 && rig.Buffer.Depth > 0; round++)
        {
            rig.Step();
            rig.Transport.Acknowledge();
        }

        Assert.Equal(0, rig.Buffer.Depth);
        Assert.Equal(2000, rig.DeliveredReadings().Select(r => r.Sequence).Distinct().Count());

        // Stored readings take about 3 bytes; re-decoding a segment from its start for every packet read ~1,300.
        var readPerReading = (rig.BufferFlash.BytesRead - before) / 2000.0;
        Assert.True(readPerReading < 60, $"{readPerReading:0} bytes read from flash per reading published");
    }

    [Fact]
    public void Steady_state_publishing_allocates_nothing_per_packet()
    {
        using var rig = new UplinkRig();
        for (var warm = 0; warm < 5; warm++)
        {
            rig.Append(10);
            rig.Publisher.Step();
            rig.Transport.Acknowledge();
            rig.Publisher.Step();
        }

        rig.Append(10);
        var before = GC.GetAllocatedBytesForCurrentThread();
        rig.Publisher.Step();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        rig.Transport.Acknowledge();

        // The fake transport copies the payload (as MQTT clients do); the publisher itself adds nothing per packet.
        var published = rig.Transport.Delivered[^1].Payload.Length;
        Assert.InRange(allocated, 0, published + 256);
    }
}
