using System.Collections;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Coalesces a meter's points into as few read requests as possible: points of the same unit and function whose
/// registers are at most <see cref="MaxGap"/> registers apart share one request, as long as it spans at most
/// <see cref="MaxRegisters"/> registers. Gap registers are read and ignored; a gap that covers registers a meter
/// does not implement may make it answer IllegalDataAddress, so set the gap to 0 for such meters.
/// </summary>
public sealed class ModbusBlockPlanner
{
    public const int DefaultMaxGap = 4;

    /// <summary>The most registers one 03/04 request may read.</summary>
    public const int MaxRegistersPerRequest = ModbusRtuRequest.MaxReadRegisters;

    public ModbusBlockPlanner(int maxGap = DefaultMaxGap, int maxRegisters = MaxRegistersPerRequest)
    {
        if (maxGap < 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(maxGap));
        }

        if (maxRegisters < 4 || maxRegisters > MaxRegistersPerRequest)
        {
            throw new System.ArgumentOutOfRangeException(nameof(maxRegisters));
        }

        MaxGap = maxGap;
        MaxRegisters = maxRegisters;
    }

    /// <summary>Largest run of unread-for-any-point registers allowed inside one request.</summary>
    public int MaxGap { get; }

    public int MaxRegisters { get; }

    /// <summary>Plans an <see cref="ArrayList"/> of <see cref="ModbusPoint"/>.</summary>
    public ModbusReadPlan Plan(ArrayList points)
    {
        if (points == null)
        {
            throw new System.ArgumentNullException(nameof(points));
        }

        var array = new ModbusPoint[points.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = (ModbusPoint)points[i]!;
        }

        return PlanSorted(Sort(array));
    }

    public ModbusReadPlan Plan(ModbusPoint[] points)
    {
        if (points == null)
        {
            throw new System.ArgumentNullException(nameof(points));
        }

        var copy = new ModbusPoint[points.Length];
        System.Array.Copy(points, copy, points.Length);
        return PlanSorted(Sort(copy));
    }

    private ModbusReadPlan PlanSorted(ModbusPoint[] points)
    {
        var blocks = new ArrayList();
        var first = 0;
        while (first < points.Length)
        {
            var start = points[first].Address;
            var end = start + points[first].RegisterCount;
            var next = first + 1;
            while (next < points.Length && Fits(points[first], start, end, points[next]))
            {
                var pointEnd = points[next].Address + points[next].RegisterCount;
                end = pointEnd > end ? pointEnd : end;
                next++;
            }

            var members = new ModbusPoint[next - first];
            System.Array.Copy(points, first, members, 0, members.Length);
            blocks.Add(new ModbusReadBlock(points[first].UnitId, points[first].Function, start, end - start, members));
            first = next;
        }

        return new ModbusReadPlan((ModbusReadBlock[])blocks.ToArray(typeof(ModbusReadBlock)));
    }

    private bool Fits(ModbusPoint head, int start, int end, ModbusPoint candidate)
    {
        if (candidate.UnitId != head.UnitId || candidate.Function != head.Function)
        {
            return false;
        }

        var candidateEnd = candidate.Address + candidate.RegisterCount;
        var newEnd = candidateEnd > end ? candidateEnd : end;
        return candidate.Address - end <= MaxGap && newEnd - start <= MaxRegisters;
    }

    /// <summary>Insertion sort by unit, function, address (point maps are small and mostly sorted already).</summary>
    private static ModbusPoint[] Sort(ModbusPoint[] points)
    {
        for (var i = 1; i < points.Length; i++)
        {
            var item = points[i];
            var j = i - 1;
            while (j >= 0 && Compare(points[j], item) > 0)
            {
                points[j + 1] = points[j];
                j--;
            }

            points[j + 1] = item;
        }

        return points;
    }

    private static int Compare(ModbusPoint a, ModbusPoint b)
    {
        if (a.UnitId != b.UnitId)
        {
            return a.UnitId - b.UnitId;
        }

        if (a.Function != b.Function)
        {
            return (int)a.Function - (int)b.Function;
        }

        return a.Address - b.Address;
    }
}
