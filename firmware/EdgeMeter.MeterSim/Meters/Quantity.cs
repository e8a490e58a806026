namespace EdgeMeter.MeterSim.Meters;

/// <summary>What a simulated meter can be asked for, whichever protocol asks.</summary>
public enum Quantity
{
    /// <summary>Forward plus reverse active energy (the standard combination, DI 00000000).</summary>
    CombinedActiveEnergy,
    ForwardActiveEnergy,
    ForwardActiveEnergyTariff1,
    ForwardActiveEnergyTariff2,
    ForwardActiveEnergyTariff3,
    ForwardActiveEnergyTariff4,
    ReverseActiveEnergy,
    ReverseActiveEnergyTariff1,
    ReverseActiveEnergyTariff2,
    ReverseActiveEnergyTariff3,
    ReverseActiveEnergyTariff4,
    ReactiveEnergy1,
    ReactiveEnergy2,
    VoltageA,
    VoltageB,
    VoltageC,
    CurrentA,
    CurrentB,
    CurrentC,
    NeutralCurrent,
    ActivePowerTotal,
    ActivePowerA,
    ActivePowerB,
    ActivePowerC,
    ReactivePowerTotal,
    ReactivePowerA,
    ReactivePowerB,
    ReactivePowerC,
    ApparentPowerTotal,
    ApparentPowerA,
    ApparentPowerB,
    ApparentPowerC,

    /// <summary>The highest demand of the load cycle: its peak active power.</summary>
    ActivePowerMaxDemand,
    PowerFactorTotal,
    PowerFactorA,
    PowerFactorB,
    PowerFactorC,
    Frequency,
    Temperature,

    /// <summary>Plant process values a PLC or DCS holds (the Modbus map's process area; water for CJ/T 188 too).</summary>
    SteamFlow,
    SteamTotal,
    SteamTemperature,
    SteamPressure,
    GasFlow,
    GasTotal,
    HeatTotal,
    WaterFlow,
    WaterTotal,

    /// <summary>A heat meter's supply and return water temperatures.</summary>
    SupplyTemperature,
    ReturnTemperature,
}
