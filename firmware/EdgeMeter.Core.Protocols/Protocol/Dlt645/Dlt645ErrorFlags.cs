namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// The error byte of an abnormal reply (D1 in 2007, C1 in 1997). 1997 meters use bit0 for "illegal data" and
/// bit1 for "wrong data identifier"; they decode as <see cref="Other"/> and <see cref="NoRequestedData"/>.
/// </summary>
[System.Flags]
public enum Dlt645ErrorFlags
{
    None = 0,
    Other = 0x01,
    NoRequestedData = 0x02,
    Unauthorized = 0x04,
    BaudCannotChange = 0x08,
    TooManyYearZones = 0x10,
    TooManyDailyPeriods = 0x20,
    TooManyTariffs = 0x40,
}
