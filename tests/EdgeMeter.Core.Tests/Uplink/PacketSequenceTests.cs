using EdgeMeter.Core.Tests.Buffer;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Tests.Uplink;

public class PacketSequenceTests
{
    [Fact]
    public void Numbers_strictly_increase_across_restarts_and_power_cuts()
    {
        var flash = new SimulatedFlash();
        var random = new Random(5);
        var highest = 0L;
        for (var boot = 0; boot < 40; boot++)
        {
            try
            {
                flash.CutAtCall = flash.IoCalls + random.Next(1, 6);
                using var sequence = new PacketSequence(flash);
                var count = random.Next(0, 2500);
                for (var i = 0; i < count; i++)
                {
                    var next = sequence.Next();
                    Assert.True(next > highest, $"boot {boot}: {next} after {highest}");
                    highest = next;
                }
            }
            catch (PowerCutException)
            {
            }

            flash.CutAtCall = -1;
            flash.PowerLoss(PowerLossMode.DropUnflushed, random);
        }

        Assert.True(highest > 10_000);
    }

    [Fact]
    public void Flash_is_written_once_per_block_not_per_packet()
    {
        var flash = new SimulatedFlash();
        using var sequence = new PacketSequence(flash);
        var flushesAtStart = flash.Flushes;
        for (var i = 0; i < (PacketSequence.BlockSize * 3) + 1; i++)
        {
            sequence.Next();
        }

        Assert.Equal(3, flash.Flushes - flushesAtStart);
    }
}
