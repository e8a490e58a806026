namespace EdgeMeter.Core.Crypto;

/// <summary>Comparisons whose running time does not depend on where the inputs differ (no early exit).</summary>
public static class ConstantTime
{
    public static bool Equals(byte[] left, int leftOffset, byte[] right, int rightOffset, int count)
    {
        var difference = 0;
        for (var i = 0; i < count; i++)
        {
            difference |= left[leftOffset + i] ^ right[rightOffset + i];
        }

        return difference == 0;
    }
}
