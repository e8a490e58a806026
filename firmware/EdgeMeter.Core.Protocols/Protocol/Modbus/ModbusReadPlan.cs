namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>The read requests that cover all points of a meter, made once by <see cref="ModbusBlockPlanner"/>
/// and re-run every poll.</summary>
public sealed class ModbusReadPlan
{
    private readonly ModbusReadBlock[] _blocks;

    internal ModbusReadPlan(ModbusReadBlock[] blocks)
    {
        _blocks = blocks;
        for (var i = 0; i < blocks.Length; i++)
        {
            PointCount += blocks[i].PointCount;
        }
    }

    public int BlockCount => _blocks.Length;

    public int PointCount { get; }

    public ModbusReadBlock GetBlock(int index) => _blocks[index];
}
