using System.Collections;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusBlockPlannerTests
{
    private readonly ModbusBlockPlanner _planner = new();

    [Fact]
    public void Merges_adjacent_points_into_one_request()
    {
        var plan = _planner.Plan([
            Point("Ua", 0x2000, ModbusDataType.Float32),
            Point("Ub", 0x2002, ModbusDataType.Float32),
            Point("Uc", 0x2004, ModbusDataType.Float32),
            Point("Ep", 0x2006, ModbusDataType.UInt64),
        ]);

        Assert.Equal(1, plan.BlockCount);
        Assert.Equal(4, plan.PointCount);
        AssertBlock(plan.GetBlock(0), 0x2000, 10, "Ua", "Ub", "Uc", "Ep");
    }

    [Fact]
    public void Bridges_gaps_up_to_the_limit_and_no_further()
    {
        var plan = _planner.Plan([
            Point("a", 100, ModbusDataType.UInt16),
            Point("b", 105, ModbusDataType.UInt16),  // gap of 4 registers (101..104): bridged
            Point("c", 111, ModbusDataType.UInt16),  // gap of 5 (106..110): new request
        ]);

        Assert.Equal(2, plan.BlockCount);
        AssertBlock(plan.GetBlock(0), 100, 6, "a", "b");
        AssertBlock(plan.GetBlock(1), 111, 1, "c");

        var strict = new ModbusBlockPlanner(maxGap: 0).Plan([
            Point("a", 100, ModbusDataType.UInt16),
            Point("b", 101, ModbusDataType.Int32),
            Point("c", 104, ModbusDataType.UInt16),
        ]);
        Assert.Equal(2, strict.BlockCount);
        AssertBlock(strict.GetBlock(0), 100, 3, "a", "b");
    }

    [Fact]
    public void Never_merges_different_functions_or_units()
    {
        var plan = _planner.Plan([
            Point("holding", 0, ModbusDataType.UInt16),
            Point("input", 1, ModbusDataType.UInt16, ModbusFunction.ReadInputRegisters),
            Point("other unit", 2, ModbusDataType.UInt16, unit: 2),
            Point("holding 2", 1, ModbusDataType.UInt16),
        ]);

        Assert.Equal(3, plan.BlockCount);
        AssertBlock(plan.GetBlock(0), 0, 2, "holding", "holding 2");
        Assert.Equal(ModbusFunction.ReadHoldingRegisters, plan.GetBlock(0).Function);
        AssertBlock(plan.GetBlock(1), 1, 1, "input");
        Assert.Equal(ModbusFunction.ReadInputRegisters, plan.GetBlock(1).Function);
        AssertBlock(plan.GetBlock(2), 2, 1, "other unit");
        Assert.Equal(2, plan.GetBlock(2).UnitId);
    }

    [Fact]
    public void Caps_every_request_at_125_registers()
    {
        var points = Enumerable.Range(0, 70).Select(i => Point($"p{i}", 2 * i, ModbusDataType.Int32)).ToArray();

        var plan = _planner.Plan(points);

        Assert.Equal(2, plan.BlockCount);
        AssertBlock(plan.GetBlock(0), 0, 124, points[..62].Select(p => p.PointId).ToArray()); // 62 x 2 = 124, a 63rd would make 126
        AssertBlock(plan.GetBlock(1), 124, 16, points[62..].Select(p => p.PointId).ToArray());
    }

    [Fact]
    public void Fills_a_request_to_exactly_125_registers()
    {
        var points = Enumerable.Range(0, 125).Select(i => Point($"r{i}", 1000 + i, ModbusDataType.UInt16)).ToList();
        points.Add(Point("r125", 1125, ModbusDataType.UInt16));

        var plan = _planner.Plan(points.ToArray());

        Assert.Equal(2, plan.BlockCount);
        Assert.Equal(125, plan.GetBlock(0).Count);
        AssertBlock(plan.GetBlock(1), 1125, 1, "r125");
    }

    [Fact]
    public void Sorts_unordered_and_overlapping_points_and_accepts_an_array_list()
    {
        var list = new ArrayList
        {
            Point("energy", 20, ModbusDataType.Int64),
            Point("low word", 22, ModbusDataType.UInt16),
            Point("voltage", 10, ModbusDataType.UInt16),
        };

        var plan = _planner.Plan(list);

        Assert.Equal(2, plan.BlockCount);
        AssertBlock(plan.GetBlock(0), 10, 1, "voltage");
        AssertBlock(plan.GetBlock(1), 20, 4, "energy", "low word");
    }

    [Fact]
    public void Refuses_impossible_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusBlockPlanner(maxGap: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusBlockPlanner(maxRegisters: 126));
        Assert.Throws<ArgumentException>(() => Point("coil", 0, ModbusDataType.UInt16, ModbusFunction.ReadCoils));
        Assert.Throws<ArgumentOutOfRangeException>(() => Point("end", 65535, ModbusDataType.Int32));
    }

    [Fact]
    public void A_prepared_plan_reads_and_decodes_every_point_without_allocating()
    {
        var server = new ModbusTestServer(1);
        var points = new[]
        {
            new ModbusPoint("U", 1, ModbusFunction.ReadHoldingRegisters, 0, ModbusDataType.UInt16, power10: -1, unitOfMeasure: "V"),
            new ModbusPoint("I", 1, ModbusFunction.ReadHoldingRegisters, 1, ModbusDataType.Int32, ModbusWordOrder.LittleEndian, -3, unitOfMeasure: "A"),
            new ModbusPoint("P", 1, ModbusFunction.ReadHoldingRegisters, 6, ModbusDataType.Float32, decimals: 2, unitOfMeasure: "kW"),
            new ModbusPoint("E", 1, ModbusFunction.ReadInputRegisters, 0, ModbusDataType.Int64, power10: -2, unitOfMeasure: "kWh"),
        };
        var expected = new[] { new FixedDecimal(2201, 1), new FixedDecimal(-12345, 3), new FixedDecimal(4213, 2), new FixedDecimal(123456789012, 2) };
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(points[0], expected[0], server.Holding, 0));
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(points[1], expected[1], server.Holding, 1));
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(points[2], expected[2], server.Holding, 6));
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Encode(points[3], expected[3], server.Input, 0));

        var clock = new ManualClock(new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc), 1_000);
        var link = new ScriptedModbusLink(clock) { KeepRequests = false, Server = server.Serve };
        var master = new ModbusRtuMaster(link, clock);
        var plan = _planner.Plan(points);
        Assert.Equal(2, plan.BlockCount);
        var values = new FixedDecimal[4];
        var failures = 0;
        Poll(plan, master, values, ref failures);
        Assert.Equal(0, failures);
        Assert.Equal(expected, values);

        // Steady state: the link replays the server's replies, so only the plan and the master are measured.
        link.Server = null;
        var replies = Enumerable.Range(0, plan.BlockCount).Select(b => ServeOnce(server, plan.GetBlock(b))).ToArray();
        Array.Clear(values);
        Poll(plan, master, values, ref failures, replies, link);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            Poll(plan, master, values, ref failures, replies, link);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.Equal(expected, values);
    }

    private static void Poll(ModbusReadPlan plan, ModbusRtuMaster master, FixedDecimal[] values, ref int failures, byte[][]? replies = null, ScriptedModbusLink? link = null)
    {
        for (var b = 0; b < plan.BlockCount; b++)
        {
            if (replies != null)
            {
                link!.RepeatedReply = replies[b];
            }

            var block = plan.GetBlock(b);
            if (block.Read(master) != ReadStatus.Ok)
            {
                failures++;
                continue;
            }

            for (var p = 0; p < block.PointCount; p++)
            {
                if (block.Decode(p, out var value) != ModbusValueStatus.Ok)
                {
                    failures++;
                }

                values[IndexOf(block.GetPoint(p).PointId)] = value;
            }
        }
    }

    private static int IndexOf(string pointId) => pointId switch
    {
        "U" => 0,
        "I" => 1,
        "P" => 2,
        _ => 3,
    };

    private static byte[] ServeOnce(ModbusTestServer server, ModbusReadBlock block)
    {
        var request = new byte[8];
        ModbusRtuRequest.BuildRead(request, block.UnitId, block.Function, block.Address, block.Count);
        return server.Serve(request)!;
    }

    private static void AssertBlock(ModbusReadBlock block, int address, int count, params string[] pointIds)
    {
        Assert.Equal(address, block.Address);
        Assert.Equal(count, block.Count);
        Assert.Equal(count, block.Registers.Length);
        Assert.Equal(pointIds, Enumerable.Range(0, block.PointCount).Select(i => block.GetPoint(i).PointId));
    }

    private static ModbusPoint Point(string id, int address, ModbusDataType type, ModbusFunction function = ModbusFunction.ReadHoldingRegisters, byte unit = 1)
        => new(id, unit, function, address, type);
}
