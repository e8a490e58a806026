namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>The values of a current-data reply (DI 901FH) a gateway can take as points.</summary>
public enum Cjt188Field
{
    /// <summary>Water and gas: current cumulative flow.</summary>
    Total,

    /// <summary>Water and gas: cumulative flow at the last settlement day.</summary>
    SettlementTotal,

    /// <summary>Heat: heat at the last settlement day.</summary>
    SettlementHeat,

    /// <summary>Heat: current cumulative heat.</summary>
    Heat,

    /// <summary>Heat: thermal power now.</summary>
    Power,

    /// <summary>Heat: flow rate now.</summary>
    FlowRate,

    /// <summary>Heat: cumulative flow through the meter.</summary>
    Volume,

    SupplyTemperature,
    ReturnTemperature,

    /// <summary>Heat: cumulative working time, hours.</summary>
    WorkingHours,
}
