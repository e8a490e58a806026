using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>
/// Random and mutated byte streams through the two parsers a line can reach: the master's response reader + check,
/// and the server's request reader + parser. Nothing may throw, and no corrupted frame may be accepted.
/// The mutations are the errors a line makes: 1-3 flipped bits, a changed byte, swapped neighbours, a burst of up
/// to 16 bits (all guaranteed to be caught by CRC-16 while the frame keeps its length), a lost tail (never
/// complete) and trailing noise (the intact frame must still be accepted, the noise left unread). A mutation that
/// changes the framed length (a flipped function or byte count) is caught by the length/quantity consistency
/// checks or, at worst, by the CRC with probability 1 - 2^-16; the fixed seeds make the outcome reproducible.
/// </summary>
public class ModbusRobustnessTests
{
    private const int RandomInputs = 60_000;
    private const int MutatedInputs = 60_000;

    [Fact]
    public void Response_reader_survives_random_and_mutated_replies()
    {
        var random = new Random(20070601);
        var reader = ModbusFrameReader.ForResponses();
        var request = new byte[256];
        var response = new byte[256];
        var registers = Enumerable.Range(0, 125).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
        var bits = Enumerable.Range(0, 2000).Select(_ => random.Next(2) == 0).ToArray();
        var stream = new byte[600];
        int accepted = 0, exceptions = 0, rejected = 0;

        for (var round = 0; round < RandomInputs + MutatedInputs; round++)
        {
            var (requestLength, responseLength) = RandomExchange(random, request, response, registers, bits);
            int streamLength;
            var mutated = round >= RandomInputs;
            if (mutated)
            {
                streamLength = Mutate(random, response, responseLength, stream);
            }
            else
            {
                streamLength = random.Next(0, 300);
                random.NextBytes(stream.AsSpan(0, streamLength));
                if (random.Next(2) == 0 && streamLength >= 2)
                {
                    stream[0] = request[0]; // reach past the first checks more often
                    stream[1] = random.Next(4) == 0 ? (byte)(request[1] | 0x80) : request[1];
                }
            }

            reader.Reset();
            Feed(random, reader, stream, streamLength);
            if (reader.State != ModbusFrameState.Complete)
            {
                rejected++;
                continue;
            }

            var status = ModbusRtuResponse.Check(request, reader.Buffer, reader.Length, out _);
            if (status != ReadStatus.Ok && status != ReadStatus.ErrorReply)
            {
                rejected++;
                continue;
            }

            // Accepted: the frame must be genuine.
            var frame = reader.Buffer.AsSpan(0, reader.Length);
            Assert.True(ModbusBytes.HasValidCrc(frame));
            Assert.Equal(request[0], frame[0]);
            if (mutated)
            {
                Assert.True(frame.SequenceEqual(response.AsSpan(0, responseLength)), $"round {round}: corrupted reply accepted");
            }

            if (status == ReadStatus.ErrorReply)
            {
                exceptions++;
            }
            else
            {
                accepted++;
            }
        }

        Assert.True(rejected > MutatedInputs / 2, $"{rejected} rejected");
        Assert.True(accepted > 1000, $"{accepted} accepted"); // trailing-noise mutations keep a good frame
        Assert.True(exceptions > 100, $"{exceptions} exception replies accepted");
    }

    [Fact]
    public void Request_parser_survives_random_and_mutated_requests()
    {
        var random = new Random(19970701);
        var reader = ModbusFrameReader.ForRequests();
        var parsed = new ModbusRequest();
        var request = new byte[256];
        var response = new byte[256];
        var registers = Enumerable.Range(0, 125).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
        var bits = Enumerable.Range(0, 2000).Select(_ => random.Next(2) == 0).ToArray();
        var stream = new byte[600];
        int accepted = 0, rejected = 0;

        for (var round = 0; round < RandomInputs + MutatedInputs; round++)
        {
            var (requestLength, _) = RandomExchange(random, request, response, registers, bits);
            int streamLength;
            var mutated = round >= RandomInputs;
            if (mutated)
            {
                streamLength = Mutate(random, request, requestLength, stream);
            }
            else
            {
                streamLength = random.Next(0, 300);
                random.NextBytes(stream.AsSpan(0, streamLength));
                if (random.Next(2) == 0 && streamLength >= 2)
                {
                    stream[1] = (byte)random.Next(0, 20);
                }
            }

            reader.Reset();
            Feed(random, reader, stream, streamLength);

            // A server that frames by line silence instead hands the parser whatever arrived: try that too.
            var silenceFramed = Math.Min(streamLength, ModbusFrameReader.MaxFrameLength);
            var direct = ModbusRequestParser.Parse(stream, silenceFramed, parsed);
            if (mutated && direct == ReadStatus.Ok)
            {
                Assert.True(stream.AsSpan(0, silenceFramed).SequenceEqual(request.AsSpan(0, requestLength)), $"round {round}: corrupted request parsed");
            }

            if (reader.State != ModbusFrameState.Complete
                || ModbusRequestParser.Parse(reader.Buffer, reader.Length, parsed) != ReadStatus.Ok)
            {
                rejected++;
                continue;
            }

            var frame = reader.Buffer.AsSpan(0, reader.Length);
            Assert.True(ModbusBytes.HasValidCrc(frame));
            if (mutated)
            {
                Assert.True(frame.SequenceEqual(request.AsSpan(0, requestLength)), $"round {round}: corrupted request accepted");
                Assert.Equal(ModbusExceptionCode.None, parsed.Violation);
                Assert.Equal(request[0], parsed.Unit);
                Assert.Equal(ModbusFrameBytes.ReadWord(request, 2), parsed.Address);
            }

            accepted++;
        }

        Assert.True(rejected > MutatedInputs / 2, $"{rejected} rejected");
        Assert.True(accepted > 1000, $"{accepted} accepted");
    }

    /// <summary>A random valid request of any of the 8 functions and the server's valid reply to it.</summary>
    private static (int RequestLength, int ResponseLength) RandomExchange(Random random, byte[] request, byte[] response, ushort[] registers, bool[] bits)
    {
        var unit = (byte)random.Next(1, 248);
        registers[random.Next(registers.Length)] = (ushort)random.Next(0, 65536);
        bits[random.Next(bits.Length)] ^= true;

        int requestLength, responseLength, count;
        var kind = random.Next(9);
        switch (kind)
        {
            case 0:
            case 1:
                count = random.Next(1, 2001);
                var bitFunction = kind == 0 ? ModbusFunction.ReadCoils : ModbusFunction.ReadDiscreteInputs;
                requestLength = ModbusRtuRequest.BuildRead(request, unit, bitFunction, random.Next(0, 65536 - count), count);
                responseLength = ModbusResponseBuilder.BuildReadBits(response, unit, bitFunction, bits, 0, count);
                break;
            case 2:
            case 3:
                count = random.Next(1, 126);
                var registerFunction = kind == 2 ? ModbusFunction.ReadHoldingRegisters : ModbusFunction.ReadInputRegisters;
                requestLength = ModbusRtuRequest.BuildRead(request, unit, registerFunction, random.Next(0, 65536 - count), count);
                responseLength = ModbusResponseBuilder.BuildReadRegisters(response, unit, registerFunction, registers, 0, count);
                break;
            case 4:
                requestLength = ModbusRtuRequest.BuildWriteSingleCoil(request, unit, random.Next(0, 65536), bits[0]);
                responseLength = Echo(request, requestLength, response);
                break;
            case 5:
                requestLength = ModbusRtuRequest.BuildWriteSingleRegister(request, unit, random.Next(0, 65536), registers[0]);
                responseLength = Echo(request, requestLength, response);
                break;
            case 6:
                count = random.Next(1, 1969);
                requestLength = ModbusRtuRequest.BuildWriteMultipleCoils(request, unit, random.Next(0, 65536 - count), count, bits);
                responseLength = Echo(request, requestLength, response);
                break;
            case 7:
                count = random.Next(1, 124);
                requestLength = ModbusRtuRequest.BuildWriteMultipleRegisters(request, unit, random.Next(0, 65536 - count), count, registers);
                responseLength = Echo(request, requestLength, response);
                break;
            default:
                requestLength = ModbusRtuRequest.BuildRead(request, unit, ModbusFunction.ReadHoldingRegisters, random.Next(0, 65000), 10);
                responseLength = ModbusResponseBuilder.BuildException(response, unit, ModbusFunction.ReadHoldingRegisters, (ModbusExceptionCode)random.Next(1, 12));
                break;
        }

        return (requestLength, responseLength);
    }

    private static int Echo(byte[] request, int requestLength, byte[] response)
    {
        var parsed = new ModbusRequest();
        Assert.Equal(ReadStatus.Ok, ModbusRequestParser.Parse(request, requestLength, parsed));
        return ModbusResponseBuilder.BuildWriteEcho(response, parsed);
    }

    /// <summary>Copies the frame into <paramref name="stream"/> with one line error and returns the stream length.</summary>
    private static int Mutate(Random random, byte[] frame, int length, byte[] stream)
    {
        Array.Copy(frame, stream, length);
        switch (random.Next(7))
        {
            case 0: // one flipped bit
                FlipBit(random, stream, length);
                return length;
            case 1: // two or three flipped bits
                var flips = random.Next(2, 4);
                var positions = new HashSet<int>();
                while (positions.Count < flips)
                {
                    positions.Add(random.Next(length * 8));
                }

                foreach (var bit in positions)
                {
                    stream[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return length;
            case 2: // one byte replaced
                var at = random.Next(length);
                stream[at] ^= (byte)random.Next(1, 256);
                return length;
            case 3: // two neighbouring different bytes swapped
                for (var tries = 0; tries < 20; tries++)
                {
                    var i = random.Next(length - 1);
                    if (stream[i] != stream[i + 1])
                    {
                        (stream[i], stream[i + 1]) = (stream[i + 1], stream[i]);
                        return length;
                    }
                }

                FlipBit(random, stream, length);
                return length;
            case 4: // a burst of up to 16 bits
                var start = random.Next(length * 8 - 1);
                var burst = random.Next(2, 17);
                stream[start / 8] ^= (byte)(1 << (start % 8));
                var end = Math.Min(start + burst - 1, length * 8 - 1);
                stream[end / 8] ^= (byte)(1 << (end % 8));
                for (var bit = start + 1; bit < end; bit++)
                {
                    if (random.Next(2) == 0)
                    {
                        stream[bit / 8] ^= (byte)(1 << (bit % 8));
                    }
                }

                return length;
            case 5: // tail lost
                return random.Next(0, length);
            default: // trailing noise after an intact frame: must be accepted, noise left unread
                var noise = random.Next(1, 40);
                random.NextBytes(stream.AsSpan(length, noise));
                return length + noise;
        }
    }

    private static void FlipBit(Random random, byte[] stream, int length)
    {
        var bit = random.Next(length * 8);
        stream[bit / 8] ^= (byte)(1 << (bit % 8));
    }

    /// <summary>Feeds the stream in random chunk sizes, as a UART delivers it, until the reader stops asking.</summary>
    private static void Feed(Random random, ModbusFrameReader reader, byte[] stream, int length)
    {
        var offset = 0;
        while (offset < length && reader.State == ModbusFrameState.Incomplete)
        {
            var chunk = Math.Min(length - offset, random.Next(1, 32));
            var taken = reader.Append(stream, offset, chunk);
            Assert.InRange(taken, 0, chunk);
            if (taken == 0)
            {
                break;
            }

            offset += taken;
        }
    }
}
