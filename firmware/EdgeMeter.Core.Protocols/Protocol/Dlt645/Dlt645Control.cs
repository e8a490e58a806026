namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// The control byte C: bit7 reply, bit6 abnormal reply, bit5 more frames follow, bits 4..0 the function.
/// </summary>
public static class Dlt645Control
{
    public const byte ReplyFlag = 0x80;
    public const byte ErrorFlag = 0x40;
    public const byte MoreFramesFlag = 0x20;
    public const byte FunctionMask = 0x1F;

    /// <summary>Broadcast time, the same code in 2007 and 1997.</summary>
    public const byte BroadcastTime = 0x08;

    public const byte Read = 0x11;
    public const byte ReadFollowUp = 0x12;
    public const byte ReadAddress = 0x13;
    public const byte Write = 0x14;
    public const byte WriteAddress = 0x15;
    public const byte Freeze = 0x16;
    public const byte ChangeBaud = 0x17;
    public const byte ChangePassword = 0x18;
    public const byte ClearMaxDemand = 0x19;
    public const byte ClearMeter = 0x1A;
    public const byte ClearEvents = 0x1B;
    public const byte RelayControl = 0x1C;

    public const byte Read1997 = 0x01;
    public const byte ReadFollowUp1997 = 0x02;
    public const byte ReRead1997 = 0x03;
    public const byte Write1997 = 0x04;
    public const byte WriteAddress1997 = 0x0A;
    public const byte ChangeBaud1997 = 0x0C;
    public const byte ChangePassword1997 = 0x0F;
    public const byte ClearMaxDemand1997 = 0x10;

    /// <summary>The read function of a version: 11 (2007) or 01 (1997).</summary>
    public static byte ReadFunction(Dlt645Version version) => version == Dlt645Version.V1997 ? Read1997 : Read;

    /// <summary>The read follow-up function of a version: 12 (2007) or 02 (1997).</summary>
    public static byte ReadFollowUpFunction(Dlt645Version version) =>
        version == Dlt645Version.V1997 ? ReadFollowUp1997 : ReadFollowUp;

    /// <summary>Bytes of a data identifier on the wire: 4 (2007) or 2 (1997).</summary>
    public static int DataIdentifierLength(Dlt645Version version) => version == Dlt645Version.V1997 ? 2 : 4;

    /// <summary>The control byte of a normal reply to <paramref name="function"/>.</summary>
    public static byte Reply(int function, bool moreFrames) =>
        (byte)((function & FunctionMask) | ReplyFlag | (moreFrames ? MoreFramesFlag : 0));

    /// <summary>The control byte of an abnormal reply to <paramref name="function"/>.</summary>
    public static byte ErrorReply(int function) => (byte)((function & FunctionMask) | ReplyFlag | ErrorFlag);
}
