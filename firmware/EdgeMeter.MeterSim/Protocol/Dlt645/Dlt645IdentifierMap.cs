namespace EdgeMeter.MeterSim.Protocol.Dlt645;

/// <summary>The data identifiers DL/T 645-1997 and -2007 use for the same quantity, for the simulator's 1997 meters.</summary>
public static class Dlt645IdentifierMap
{
    // 1997 DI -> 2007 DI of the same quantity, pairwise.
    private static readonly uint[] MappingFrom1997 =
    {
        0x9010, 0x9011, 0x9012, 0x9013, 0x9014, 0x9410,
        0xB611, 0xB612, 0xB613, 0xB621, 0xB622, 0xB623,
        0xB630, 0xB640, 0xB650, 0xC010, 0xC011, 0xC032,
    };

    private static readonly uint[] MappingTo2007 =
    {
        0x00010000, 0x00010100, 0x00010200, 0x00010300, 0x00010400, 0x00010001,
        0x02010100, 0x02010200, 0x02010300, 0x02020100, 0x02020200, 0x02020300,
        0x02030000, 0x02040000, 0x02060000, 0x04000101, 0x04000102, 0x04000402,
    };

    /// <summary>The 2007 DI of the same quantity as a 1997 DI (9010 -> 00010000), when there is one.</summary>
    public static bool TryMapTo2007(uint dataIdentifier1997, out uint dataIdentifier2007)
    {
        for (var i = 0; i < MappingFrom1997.Length; i++)
        {
            if (MappingFrom1997[i] == dataIdentifier1997)
            {
                dataIdentifier2007 = MappingTo2007[i];
                return true;
            }
        }

        dataIdentifier2007 = 0;
        return false;
    }

    /// <summary>The 1997 DI of the same quantity as a 2007 DI, when there is one.</summary>
    public static bool TryMapTo1997(uint dataIdentifier2007, out uint dataIdentifier1997)
    {
        for (var i = 0; i < MappingTo2007.Length; i++)
        {
            if (MappingTo2007[i] == dataIdentifier2007)
            {
                dataIdentifier1997 = MappingFrom1997[i];
                return true;
            }
        }

        dataIdentifier1997 = 0;
        return false;
    }
}
