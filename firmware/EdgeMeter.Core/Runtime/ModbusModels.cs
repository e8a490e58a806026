using System.Collections;
using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Runtime;

/// <summary>
/// The Modbus meter models on one bus: meters whose points are the same (a site's sixteen power meters of one type)
/// share one array of points and one read plan, each reading it with its own unit id. On a board a meter's points and
/// plan are most of what it costs (about 1.5 KB for eight points).
/// </summary>
internal sealed class ModbusModels
{
    private readonly ArrayList _models = new ArrayList();

    /// <summary>The model of <paramref name="points"/>: one seen before on this bus, or a new one planned now.</summary>
    public ModbusModel Find(ModbusPoint[] points, ModbusBlockPlanner planner)
    {
        for (var i = 0; i < _models.Count; i++)
        {
            var model = (ModbusModel)_models[i]!;
            if (Same(model.Points, points))
            {
                return model;
            }
        }

        var added = new ModbusModel(points, planner.Plan(points));
        _models.Add(added);
        return added;
    }

    private static bool Same(ModbusPoint[] a, ModbusPoint[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].PointId != b[i].PointId || a[i].Function != b[i].Function || a[i].Address != b[i].Address || a[i].Type != b[i].Type
                || a[i].WordOrder != b[i].WordOrder || a[i].Power10 != b[i].Power10 || a[i].Decimals != b[i].Decimals
                || a[i].UnitOfMeasure != b[i].UnitOfMeasure)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A meter model's points and the plan that reads them.</summary>
internal sealed class ModbusModel
{
    public ModbusModel(ModbusPoint[] points, ModbusReadPlan plan)
    {
        Points = points;
        Plan = plan;
    }

    public ModbusPoint[] Points { get; }

    public ModbusReadPlan Plan { get; }
}
