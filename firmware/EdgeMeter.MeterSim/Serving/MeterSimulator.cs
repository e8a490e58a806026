using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.MeterSim.Faults;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.MeterSim.Protocol.Cjt188;
using EdgeMeter.MeterSim.Protocol.Dlt645;
using EdgeMeter.MeterSim.Protocol.Modbus;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>
/// Several simulated meters sharing one bus: DL/T 645-2007, DL/T 645-1997, Modbus RTU and CJ/T 188 water, gas and
/// heat meters answer the
/// requests addressed to them, with values from their <see cref="SimulatedMeter"/> physics, optionally with
/// injected faults. Transport-free: a <see cref="SimulatorSession"/> turns received bytes into replies, and
/// <see cref="SimulatorHost"/> puts sessions on TCP or a serial port. Thread-safe: sessions of several TCP
/// clients share the meters.
/// </summary>
public sealed class MeterSimulator
{
    private const int ReplyPreambleLength = 4;

    private readonly object _gate = new();
    private readonly Dictionary<MeterSpec, SimulatedMeter> _models = [];
    private readonly List<SimulatedDlt645Meter> _dlt645 = [];
    private readonly HashSet<byte> _modbusUnits = [];
    private readonly List<MeterSpec> _cjt188 = [];
    private readonly Random _faultDraws;
    private readonly byte[] _value = new byte[Dlt645Frame.MaxDataLength];
    private readonly byte[] _reply = new byte[Dlt645FrameEncoder.MaxFrameLength];
    private readonly ushort[] _registers = new ushort[ModbusRtuRequest.MaxReadRegisters];

    public MeterSimulator(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Meters.Count == 0)
        {
            throw new ArgumentException("a simulator needs at least one meter", nameof(options));
        }

        Options = options;
        _faultDraws = new Random(options.Seed);
        foreach (var meter in options.Meters)
        {
            if (_models.ContainsKey(meter))
            {
                throw new ArgumentException($"meter {meter} is given twice", nameof(options));
            }

            var model = new SimulatedMeter(SeedOf(meter));
            _models.Add(meter, model);
            if (meter.IsDlt645)
            {
                var clockError = options.MeterClockErrors ? TimeSpan.FromSeconds((SeedOf(meter) & 0x7FFFFFFF) % 241 - 120) : TimeSpan.Zero;
                _dlt645.Add(new SimulatedDlt645Meter(meter, model, options.UtcOffset, clockError));
            }
            else if (meter.IsCjt188)
            {
                _cjt188.Add(meter);
            }
            else
            {
                _modbusUnits.Add(meter.Unit);
            }
        }
    }

    public SimulatorOptions Options { get; }

    public IReadOnlyList<MeterSpec> Meters => Options.Meters;

    /// <summary>The Modbus register map every Modbus meter serves.</summary>
    public ModbusRegisterMap ModbusMap => ModbusRegisterMap.Standard;

    /// <summary>Requests answered (with a reply or on purpose without one, as faults and broadcasts are).</summary>
    public long RequestsAnswered { get; private set; }

    /// <summary>The physics of a served meter: what it reports at any moment.</summary>
    public SimulatedMeter Model(MeterSpec meter) => _models.TryGetValue(meter, out var model)
        ? model
        : throw new ArgumentException($"{meter} is not served", nameof(meter));

    /// <summary>A served DL/T 645 meter (its clock, its address).</summary>
    public SimulatedDlt645Meter Dlt645Meter(MeterSpec meter) =>
        _dlt645.FirstOrDefault(m => m.Spec == meter) ?? throw new ArgumentException($"{meter} is not a served DL/T 645 meter", nameof(meter));

    /// <summary>The seed of a meter's physics: fixed by its name (FNV-1a of its text), so runs agree.</summary>
    public static int SeedOf(MeterSpec meter)
    {
        var hash = 2166136261u;
        foreach (var c in meter.ToString())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    /// <summary>A new view of the bus (one per TCP client, one for a serial port).</summary>
    public SimulatorSession OpenSession() => new(this);

    /// <summary>A client connection speaking Modbus TCP.</summary>
    public ModbusTcpSimulatorSession OpenModbusTcpSession() => new(this);

    internal void AnswerDlt645(Dlt645Frame request, List<SimulatorReply> replies)
    {
        lock (_gate)
        {
            var utc = Options.Clock.UtcNow;
            if (request.Address.IsBroadcast)
            {
                ReceiveBroadcast(request, utc);
                return;
            }

            var version = VersionOf(request.Function);
            if (version == null)
            {
                return;
            }

            var addressed = _dlt645.Where(m => m.Version == version && m.IsAddressedBy(request.Address)).ToList();
            if (addressed.Count == 0)
            {
                return;
            }

            var meter = addressed[0];
            var length = BuildDlt645Reply(meter, request, utc, out var summary, out var outcome);
            RequestsAnswered++;
            if (addressed.Count > 1)
            {
                // Every addressed meter answers at once; on a real bus the replies collide into garbage.
                _reply[length - 2] ^= 0x5A;
                Log($"{request.Address} {summary} -> {addressed.Count} meters answer at once: collision");
                replies.Add(new SimulatorReply(meter.Spec, _reply[..length], ReplyDelay(length)));
                return;
            }

            Deliver(meter.Spec, length, summary, () => Dlt645ReplyEncoder.EncodeErrorReply(
                _reply, 0, ReplyPreambleLength, meter.Address, (byte)request.Function, Dlt645ErrorFlags.Other), replies, outcome);
        }
    }

    internal void AnswerCjt188(Cjt188Frame request, List<SimulatorReply> replies)
    {
        lock (_gate)
        {
            if (request.IsReply || request.DataLength < 3)
            {
                return;
            }

            var identifier = request.DataIdentifier;
            var swapped = ((identifier & 0xFF) << 8) | (identifier >> 8);
            bool Asks(int di) => identifier == di || swapped == di;
            if (request.Function == Cjt188FrameEncoder.ReadAddressFunction && Asks(Cjt188FrameEncoder.AddressIdentifier) && request.Address.IsBroadcast)
            {
                AnswerCjt188Address(request, replies);
                return;
            }

            var meter = _cjt188.FirstOrDefault(m => m.Cjt188Address == request.Address
                && Cjt188MeterType.Family(m.Cjt188Type) == Cjt188MeterType.Family(request.MeterType));
            if (meter is null || request.Function != Cjt188FrameEncoder.ReadDataFunction)
            {
                return;
            }

            var summary = $"read {identifier:X4}";
            RequestsAnswered++;
            if (!Asks(Cjt188FrameEncoder.CurrentDataIdentifier))
            {
                var refused = Cjt188ReplyEncoder.Abnormal(meter.Cjt188Type, meter.Cjt188Address, (byte)request.Function, request.Data[2]);
                refused.CopyTo(_reply, 0);
                Deliver(meter, refused.Length, summary, () => refused.Length, replies, "refused (DI not served)");
                return;
            }

            var reply = Cjt188Answers.CurrentData(meter, _models[meter], request, Options.Clock.UtcNow, Options.UtcOffset);
            reply.CopyTo(_reply, 0);
            var abnormal = Cjt188ReplyEncoder.Abnormal(meter.Cjt188Type, meter.Cjt188Address, (byte)request.Function, request.Data[2]);
            Deliver(meter, reply.Length, summary, () =>
            {
                abnormal.CopyTo(_reply, 0);
                return abnormal.Length;
            }, replies, "ok");
        }
    }

    private void AnswerCjt188Address(Cjt188Frame request, List<SimulatorReply> replies)
    {
        if (_cjt188.Count == 0)
        {
            return;
        }

        RequestsAnswered++;
        var meter = _cjt188[0];
        var reply = Cjt188ReplyEncoder.Address(meter.Cjt188Type, meter.Cjt188Address, request.Data[2]);
        if (_cjt188.Count > 1)
        {
            // Every meter on the line answers at once; on a real bus the replies collide into garbage.
            reply[^2] ^= 0x5A;
            Log($"{request.Address} read address -> {_cjt188.Count} meters answer at once: collision");
            replies.Add(new SimulatorReply(meter, reply, ReplyDelay(reply.Length)));
            return;
        }

        reply.CopyTo(_reply, 0);
        Deliver(meter, reply.Length, "read address", () => reply.Length, replies, "ok");
    }

    internal void AnswerModbus(byte[] frame, int length, ModbusRequest request, List<SimulatorReply> replies)
    {
        lock (_gate)
        {
            if (ModbusRequestParser.Parse(frame, length, request) != ReadStatus.Ok || request.IsBroadcast
                || !_modbusUnits.Contains(request.Unit))
            {
                return;
            }

            var meter = MeterSpec.Modbus(request.Unit);
            var summary = $"function {(int)request.Function:D2} address 0x{request.Address:X4} count {request.Count}";
            var code = request.Violation;
            if (code == ModbusExceptionCode.None)
            {
                code = request.Function is ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters
                    ? ModbusMap.Read(request.Function, request.Address, request.Count, _models[meter], Options.Clock.UtcNow, _registers)
                    : ModbusExceptionCode.IllegalFunction;
            }

            var replyLength = code == ModbusExceptionCode.None
                ? ModbusResponseBuilder.BuildReadRegisters(_reply, request.Unit, request.Function, _registers, 0, request.Count)
                : ModbusResponseBuilder.BuildException(_reply, request.Unit, request.Function, code);
            RequestsAnswered++;
            Deliver(meter, replyLength, summary,
                () => ModbusResponseBuilder.BuildException(_reply, request.Unit, request.Function, ModbusExceptionCode.ServerDeviceFailure),
                replies,
                code == ModbusExceptionCode.None ? "ok" : $"exception {(int)code:D2} {code}");
        }
    }

    // Applies the first fault that hits this reply, then queues what goes on the line.
    private void Deliver(MeterSpec meter, int length, string summary, Func<int> buildErrorReply, List<SimulatorReply> replies, string outcome)
    {
        var extraDelay = 0;
        var fault = Options.Faults.FirstOrDefault(f => f.Targets(meter) && (f.Fraction >= 1.0 || _faultDraws.NextDouble() < f.Fraction));
        switch (fault?.Kind)
        {
            case SimulatorFaultKind.NoReply:
                Log($"{meter} {summary} -> no reply (fault)");
                return;
            case SimulatorFaultKind.BadChecksum:
                _reply[length - 2] ^= 0xFF;
                outcome = "bad checksum (fault)";
                break;
            case SimulatorFaultKind.Slow:
                extraDelay = fault.DelayMilliseconds;
                outcome = $"{outcome} after {extraDelay} ms (fault)";
                break;
            case SimulatorFaultKind.ErrorReply:
                length = buildErrorReply();
                outcome = "error reply (fault)";
                break;
        }

        Log($"{meter} {summary} -> {outcome}");
        replies.Add(new SimulatorReply(meter, _reply[..length], ReplyDelay(length) + extraDelay));
    }

    private int BuildDlt645Reply(SimulatedDlt645Meter meter, Dlt645Frame request, DateTime utc, out string summary, out string outcome)
    {
        outcome = "ok";
        var version = meter.Version;
        var function = (byte)request.Function;
        if (function == Dlt645Control.ReadAddress)
        {
            summary = "read address";
            return Dlt645ReplyEncoder.EncodeReadAddressReply(_reply, 0, ReplyPreambleLength, version, meter.Address);
        }

        if (function != Dlt645Control.ReadFunction(version))
        {
            // Follow-ups (nothing follows: every reply fits one frame), writes and controls: this meter has no
            // password set up for writing, so it refuses.
            summary = $"function {function:X2}";
            outcome = "refused";
            var flags = function == Dlt645Control.ReadFollowUpFunction(version) ? Dlt645ErrorFlags.NoRequestedData : Dlt645ErrorFlags.Unauthorized;
            return Dlt645ReplyEncoder.EncodeErrorReply(_reply, 0, ReplyPreambleLength, meter.Address, function, flags);
        }

        if (!request.TryGetDataIdentifier(version, out var di))
        {
            summary = "read without a DI";
            outcome = "other error";
            return Dlt645ReplyEncoder.EncodeErrorReply(_reply, 0, ReplyPreambleLength, meter.Address, function, Dlt645ErrorFlags.Other);
        }

        summary = version == Dlt645Version.V1997 ? $"read {di:X4}" : $"read {di:X8}";
        var valueLength = Dlt645SimulatedItems.Read(meter, di, utc, _value);
        if (valueLength < 0)
        {
            outcome = "no requested data";
            return Dlt645ReplyEncoder.EncodeErrorReply(_reply, 0, ReplyPreambleLength, meter.Address, function, Dlt645ErrorFlags.NoRequestedData);
        }

        return Dlt645ReplyEncoder.EncodeReadReply(_reply, 0, ReplyPreambleLength, version, meter.Address, di, _value, 0, valueLength, false);
    }

    private void ReceiveBroadcast(Dlt645Frame request, DateTime utc)
    {
        if (request.Function != Dlt645Control.BroadcastTime || request.DataLength != 6
            || !Dlt645ValueCodec.TryDecodeBroadcastTime(request.Data, 0, Options.BroadcastTimeOrder, out var localTime))
        {
            return;
        }

        foreach (var meter in _dlt645)
        {
            meter.SetClock(localTime, utc);
        }

        RequestsAnswered++;
        Log($"broadcast time {localTime:yyyy-MM-dd HH:mm:ss} -> {_dlt645.Count} DL/T 645 meter clock(s) set");
    }

    private static Dlt645Version? VersionOf(int function) => function switch
    {
        >= Dlt645Control.Read and <= Dlt645Control.RelayControl => Dlt645Version.V2007,
        Dlt645Control.Read1997 or Dlt645Control.ReadFollowUp1997 or Dlt645Control.ReRead1997 or Dlt645Control.Write1997
            or Dlt645Control.WriteAddress1997 or Dlt645Control.ChangeBaud1997 or Dlt645Control.ChangePassword1997
            or Dlt645Control.ClearMaxDemand1997 => Dlt645Version.V1997,
        _ => null,
    };

    private int ReplyDelay(int length)
    {
        var delay = Options.TurnaroundMilliseconds;
        if (Options.LineRateBaud > 0)
        {
            delay += (int)(((long)length * Options.BitsPerCharacter * 1000) + Options.LineRateBaud - 1) / Options.LineRateBaud;
        }

        return delay;
    }

    private void Log(string line) => Options.Log?.Invoke(line);
}
