namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>The edition of DL/T 645 a meter speaks; it decides function codes and the data-identifier width.</summary>
public enum Dlt645Version
{
    /// <summary>DL/T 645-2007: 4-byte data identifiers, read 11, follow-up 12 with a frame sequence byte.</summary>
    V2007 = 0,

    /// <summary>DL/T 645-1997: 2-byte data identifiers, read 01, follow-up 02.</summary>
    V1997 = 1,
}
