using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Core.Tests.Buffer;

public class SmallLongColumnTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gives_back_exactly_what_a_long_array_would(int seed)
    {
        var random = new Random(seed);
        var column = new SmallLongColumn(32);
        var model = new long[32];
        for (var step = 0; step < 20_000; step++)
        {
            var slot = random.Next(model.Length);
            if (random.Next(500) == 0)
            {
                column.Clear();
                Array.Clear(model);
                continue;
            }

            var value = Pick(random);
            column.Set(slot, value);
            model[slot] = value;
            var probe = random.Next(model.Length);
            Assert.Equal(model[probe], column.Get(probe));
        }

        for (var slot = 0; slot < model.Length; slot++)
        {
            Assert.Equal(model[slot], column.Get(slot));
        }
    }

    [Fact]
    public void Values_beyond_an_int_in_every_slot_at_once_are_all_kept()
    {
        var column = new SmallLongColumn(300);
        for (var slot = 0; slot < 300; slot++)
        {
            column.Set(slot, int.MinValue - (long)slot);
        }

        for (var slot = 0; slot < 300; slot++)
        {
            Assert.Equal(int.MinValue - (long)slot, column.Get(slot));
        }

        Assert.True(column.IsWide); // past a quarter of the slots a full long each, no search
        column.Clear();
        Assert.All(Enumerable.Range(0, 300), slot => Assert.Equal(0, column.Get(slot)));
    }

    [Fact]
    public void A_few_values_beyond_an_int_are_kept_beside_without_widening()
    {
        var column = new SmallLongColumn(256);
        for (var slot = 0; slot < 256; slot++)
        {
            column.Set(slot, slot % 16 == 0 ? long.MaxValue - slot : slot);
        }

        Assert.False(column.IsWide);
        Assert.All(Enumerable.Range(0, 256), slot => Assert.Equal(slot % 16 == 0 ? long.MaxValue - slot : slot, column.Get(slot)));
    }

    private static long Pick(Random random) => random.Next(8) switch
    {
        0 => int.MinValue, // the column's own marker, as a value
        1 => int.MaxValue,
        2 => (long)int.MaxValue + 1,
        3 => long.MinValue,
        4 => long.MaxValue,
        5 => random.NextInt64(long.MinValue, long.MaxValue),
        _ => random.Next(-100_000, 100_000),
    };
}
