namespace EdgeMeter.Host.Simulation;

/// <summary>What a simulated meter can be asked for, whichever protocol asks.</summary>
public enum Quantity
{
    ForwardActiveEnergy,
    ForwardActiveEnergyTariff1,
    ForwardActiveEnergyTariff2,
    ForwardActiveEnergyTariff3,
    ForwardActiveEnergyTariff4,
    ReverseActiveEnergy,
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
    ApparentPowerTotal,
    PowerFactorTotal,
    PowerFactorA,
    PowerFactorB,
    PowerFactorC,
    Frequency,
    Temperature,
}
