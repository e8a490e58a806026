using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Cli;

/// <summary>Turns a failed <see cref="ReadStatus"/> into the one line a technician reads.</summary>
internal static class MeterFailures
{
    public static CliException From(
        ReadStatus status,
        MeterSpec meter,
        LinkAddress link,
        FailureRecordingLink recorder,
        int timeoutMilliseconds,
        string request,
        Dlt645ErrorFlags dlt645Errors = Dlt645ErrorFlags.None,
        ModbusExceptionCode modbusException = ModbusExceptionCode.None)
    {
        var message = status switch
        {
            ReadStatus.Timeout => $"{meter} did not answer {request} within {timeoutMilliseconds} ms (timeout)",
            ReadStatus.BadChecksum => $"{meter}: the reply to {request} failed its {(meter.IsModbus ? "CRC" : "checksum")} (bad checksum)",
            ReadStatus.Malformed when meter.IsCjt188 => $"{meter}: the reply to {request} is of an unknown layout or unit (docs/cjt188.md)",
            ReadStatus.Malformed => $"{meter}: the reply to {request} is malformed (wrong address, function, identifier or length)",
            ReadStatus.ErrorReply when meter.IsCjt188 => $"{meter} answered {request} with an abnormal reply (C bit 6): it cannot give that data",
            ReadStatus.ErrorReply when meter.IsDlt645 => $"{meter} answered {request} with an error reply: {Describe(dlt645Errors)}",
            ReadStatus.ErrorReply => $"{meter} answered {request} with exception {(int)modbusException:D2}: {Describe(modbusException)}",
            ReadStatus.LinkDown => recorder.LastFailure ?? $"{link}: the link failed",
            ReadStatus.UnknownPoint => $"{request} is not a known point of {meter}",
            _ => $"{meter}: {status}",
        };
        return new CliException(message, status == ReadStatus.UnknownPoint ? ExitCodes.Usage : ExitCodes.Failure);
    }

    public static string Describe(Dlt645ErrorFlags flags)
    {
        if (flags == Dlt645ErrorFlags.None)
        {
            return "no reason given";
        }

        var names = new List<string>();
        void Add(Dlt645ErrorFlags flag, string name)
        {
            if ((flags & flag) != 0)
            {
                names.Add(name);
            }
        }

        Add(Dlt645ErrorFlags.Other, "other error");
        Add(Dlt645ErrorFlags.NoRequestedData, "no requested data");
        Add(Dlt645ErrorFlags.Unauthorized, "password wrong or unauthorised");
        Add(Dlt645ErrorFlags.BaudCannotChange, "baud rate cannot change");
        Add(Dlt645ErrorFlags.TooManyYearZones, "too many year time zones");
        Add(Dlt645ErrorFlags.TooManyDailyPeriods, "too many daily periods");
        Add(Dlt645ErrorFlags.TooManyTariffs, "too many tariffs");
        return string.Join(", ", names);
    }

    public static string Describe(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction => "illegal function",
        ModbusExceptionCode.IllegalDataAddress => "illegal data address",
        ModbusExceptionCode.IllegalDataValue => "illegal data value",
        ModbusExceptionCode.ServerDeviceFailure => "server device failure",
        ModbusExceptionCode.Acknowledge => "acknowledge",
        ModbusExceptionCode.ServerDeviceBusy => "server device busy",
        ModbusExceptionCode.GatewayPathUnavailable => "gateway path unavailable",
        ModbusExceptionCode.GatewayTargetFailedToRespond => "gateway target device failed to respond",
        _ => "unknown exception code",
    };
}
