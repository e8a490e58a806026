using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EdgeMeter.Core.Tests.DeviceRules;

/// <summary>
/// nanoCLR does not run a static constructor when a type is first used, as .NET does: it runs all of them at start-up,
/// assembly by assembly in load order (without waiting for referenced assemblies) and, within an assembly, in the
/// order of its method table. Static initialization can therefore meet other types, mscorlib's included, not yet
/// initialized: on nanoCLR's posix host, which loads assemblies sorted by path, ReadingCodec's limits built from
/// DateTime.MaxValue came out equal, and Dlt645Catalogue.Items stayed null because building it concatenated strings
/// while String.Empty was still null. Rule for the core: static initializers hold data, not work. They may store
/// constants, literal arrays and new arrays, and call the core's own methods that do the same; they read no static
/// field of another type and call nothing in another assembly. Tables that take work to build are built on first use.
/// </summary>
public class StaticInitializationTests
{
    [Theory]
    [InlineData(typeof(EdgeMeter.Core.Values.FixedDecimal))] // EdgeMeter.Core.Protocols
    [InlineData(typeof(EdgeMeter.Core.Packet.PacketText))] // EdgeMeter.Core
    public void Static_initializers_of_the_core_hold_data_not_work(Type inAssembly)
    {
        var violations = OrderDependentInitialization(inAssembly.Assembly.Location);

        Assert.True(violations.Count == 0, "static initialization that depends on start-up order:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_rule_catches_what_broke_on_nanoCLR()
    {
        // This test assembly breaks the rule on purpose (OrderDependentFixture below).
        var violations = OrderDependentInitialization(typeof(StaticInitializationTests).Assembly.Location);

        Assert.Contains(violations, v => v.StartsWith(Fixture + ": reads System.DateTime::MaxValue", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith(Fixture + ": reads EdgeMeter.Core.Tests.DeviceRules.SeenThroughAHelper::Items", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith(Fixture + ": calls System.String::Concat", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, v => v.Contains("DataOnlyFixture", StringComparison.Ordinal));
    }

    private const string Fixture = "EdgeMeter.Core.Tests.DeviceRules.OrderDependentFixture";

    /// <summary>
    /// "Type: reads Other::Field" and "Type: calls Other::Method" for what a .cctor, or a method of the same assembly
    /// it calls, does beyond data: reading another type's static field, calling into another assembly.
    /// </summary>
    private static List<string> OrderDependentInitialization(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var violations = new List<string>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                if (metadata.GetString(metadata.GetMethodDefinition(methodHandle).Name) != ".cctor")
                {
                    continue;
                }

                var owner = FullName(metadata, typeHandle);
                foreach (var access in Accesses(pe, metadata, methodHandle, new HashSet<MethodDefinitionHandle>()))
                {
                    var ownField = access.StartsWith("reads " + owner + "::", StringComparison.Ordinal);
                    if (!ownField && !AllowedCalls.Contains(access))
                    {
                        violations.Add(owner + ": " + access);
                    }
                }
            }
        }

        return violations;
    }

    /// <summary>What static initialization may call in other assemblies: filling a literal array, object's constructor.</summary>
    private static readonly HashSet<string> AllowedCalls = new(StringComparer.Ordinal)
    {
        "calls System.Runtime.CompilerServices.RuntimeHelpers::InitializeArray",
        "calls System.Object::.ctor",
    };

    private static IEnumerable<string> Accesses(PEReader pe, MetadataReader metadata, MethodDefinitionHandle handle, HashSet<MethodDefinitionHandle> seen)
    {
        var method = metadata.GetMethodDefinition(handle);
        if (!seen.Add(handle) || method.RelativeVirtualAddress == 0)
        {
            yield break;
        }

        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            var opcode = ReadOpCode(ref il);
            if (opcode is ILOpCode.Ldsfld or ILOpCode.Ldsflda)
            {
                yield return "reads " + MemberName(metadata, MetadataTokens.EntityHandle(il.ReadInt32()));
            }
            else if (opcode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj)
            {
                var target = MetadataTokens.EntityHandle(il.ReadInt32());
                if (target.Kind != HandleKind.MethodDefinition)
                {
                    yield return "calls " + MemberName(metadata, target);
                    continue;
                }

                foreach (var access in Accesses(pe, metadata, (MethodDefinitionHandle)target, seen))
                {
                    yield return access;
                }
            }
            else
            {
                SkipOperand(ref il, opcode);
            }
        }
    }

    private static ILOpCode ReadOpCode(ref BlobReader il)
    {
        int value = il.ReadByte();
        return (ILOpCode)(value == 0xFE ? 0xFE00 | il.ReadByte() : value);
    }

    private static void SkipOperand(ref BlobReader il, ILOpCode opcode)
    {
        if (opcode == ILOpCode.Switch)
        {
            il.Offset += 4 * il.ReadInt32();
            return;
        }

        il.Offset += opcode switch
        {
            ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
                or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned => 1,
            ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
            ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
            _ when opcode.IsBranch() => opcode.GetBranchOperandSize(),
            ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Calli or ILOpCode.Jmp or ILOpCode.Ldftn or ILOpCode.Ldvirtftn
                or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Stsfld or ILOpCode.Ldstr or ILOpCode.Cpobj
                or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Unbox_any
                or ILOpCode.Box or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Refanyval
                or ILOpCode.Mkrefany or ILOpCode.Ldtoken or ILOpCode.Initobj or ILOpCode.Constrained or ILOpCode.Sizeof => 4,
            _ => 0,
        };
    }

    /// <summary>Type::Member of a field or method token (definition or reference); a generic method's spec by its kind.</summary>
    private static string MemberName(MetadataReader metadata, EntityHandle handle)
    {
        if (handle.Kind == HandleKind.FieldDefinition)
        {
            var field = metadata.GetFieldDefinition((FieldDefinitionHandle)handle);
            return FullName(metadata, field.GetDeclaringType()) + "::" + metadata.GetString(field.Name);
        }

        if (handle.Kind != HandleKind.MemberReference)
        {
            return handle.Kind.ToString();
        }

        var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
        var parent = reference.Parent.Kind == HandleKind.TypeReference
            ? TypeReferenceName(metadata, (TypeReferenceHandle)reference.Parent)
            : reference.Parent.Kind.ToString();
        return parent + "::" + metadata.GetString(reference.Name);
    }

    private static string FullName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var outer = type.GetDeclaringType();
        return outer.IsNil
            ? metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name)
            : FullName(metadata, outer) + "+" + metadata.GetString(type.Name);
    }

    private static string TypeReferenceName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        return metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
    }
}

/// <summary>What the rule must catch: reading statics of other types, directly and through a helper, and calling mscorlib.</summary>
internal static class OrderDependentFixture
{
    public static readonly long MaxTicks = DateTime.MaxValue.Ticks;

    public static readonly int Seen = SeenThroughAHelper.Count();

    public static readonly string Name = Join("meter", MaxTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Join(string a, string b) => a + b;
}

/// <summary>What the rule allows: literal arrays, new arrays, and work of the same assembly on them.</summary>
internal static class DataOnlyFixture
{
    public static readonly string[] Names = ["up", "down"];

    public static readonly int[] Squares = Build();

    private static int[] Build()
    {
        var squares = new int[8];
        for (var i = 0; i < squares.Length; i++)
        {
            squares[i] = i * i;
        }

        return squares;
    }
}

internal static class SeenThroughAHelper
{
    public static readonly int[] Items = [1, 2, 3];

    public static int Count() => Items.Length;
}
