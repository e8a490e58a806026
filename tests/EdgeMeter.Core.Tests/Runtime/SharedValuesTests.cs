using EdgeMeter.Core.Runtime;

namespace EdgeMeter.Core.Tests.Runtime;

public class SharedValuesTests
{
    [Fact]
    public void Equal_rows_and_texts_come_back_as_the_first_object_and_different_ones_as_themselves()
    {
        var shared = new SharedValues();
        var first = new uint[] { 0x00010000, 0x02010100 };
        var firstText = new string("energy".ToCharArray());

        Assert.Same(first, shared.Row(first));
        Assert.Same(first, shared.Row([0x00010000, 0x02010100]));
        var other = new uint[] { 0x00010000 };
        Assert.Same(other, shared.Row(other));
        Assert.Same(firstText, shared.Text(firstText));
        Assert.Same(firstText, shared.Text(new string("energy".ToCharArray())));
        var unit = new string("kWh".ToCharArray());
        Assert.Same(unit, shared.Text(unit));
    }
}
