namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>statType: what period the value covers.</summary>
public enum StatType
{
    RealTime = 0,
    Day = 1,
    Month = 2,
    Year = 3,
}

/// <summary>inputType: where the value came from.</summary>
public enum InputType
{
    ManagementSystem = 1,
    ProductionMonitoringSystem = 2,
    Dcs = 3,
    FieldInstrument = 4,
    ManualEntry = 5,
}

/// <summary>scope: what the value is measured over.</summary>
public enum DataScope
{
    WholePlant = 1,
    Process = 2,
    ProcessUnit = 3,
    KeyEquipment = 4,
}
