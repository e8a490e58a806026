using System.Reflection;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// Every object reachable from a root through instance fields, once each, with its size two ways: as .NET lays it out
/// on 64 bits, and as nanoFramework's CLR would (<see cref="NanoHeap"/>). The walk stops at objects the predicate
/// calls foreign (the platform behind the core: flash, broker, meter link, clock), so what is counted is what the
/// core itself keeps alive.
/// </summary>
public sealed class RetainedGraph
{
    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly Func<Type, bool> _foreign;
    private readonly Dictionary<string, (int Objects, long NanoBytes)> _byType = [];
    private readonly Dictionary<object, string> _paths = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Path, long NanoBytes)> _largest = [];

    private RetainedGraph(Func<Type, bool> foreign)
    {
        _foreign = foreign;
    }

    private int _excluded;

    public int Objects => _seen.Count - _excluded;

    public long DotNetBytes { get; private set; }

    public long NanoBytes { get; private set; }

    /// <summary>The single objects that take the most nanoFramework bytes, with the field path the walk reached them by.</summary>
    public IEnumerable<(string Path, long NanoBytes)> LargestObjects(int count) => _largest.OrderByDescending(o => o.NanoBytes).Take(count);

    /// <summary>The types that hold the most nanoFramework bytes, largest first.</summary>
    public IEnumerable<(string Type, int Objects, long NanoBytes)> LargestTypes(int count) =>
        _byType.OrderByDescending(t => t.Value.NanoBytes).Take(count).Select(t => (t.Key, t.Value.Objects, t.Value.NanoBytes));

    /// <summary>The nanoFramework bytes under each field path of the given depth (GatewayRuntime._uplink is 2), largest first.</summary>
    public IEnumerable<(string Path, long NanoBytes)> ByComponent(int depth) =>
        _largest.GroupBy(o => string.Join('.', o.Path.Replace("[]", "", StringComparison.Ordinal).Split('.').Take(depth)))
            .Select(g => (g.Key, g.Sum(o => o.NanoBytes))).OrderByDescending(g => g.Item2);

    public static RetainedGraph Walk(object root, Func<Type, bool> foreign) => Walk([root], foreign, []);

    /// <summary>Everything reachable from any of <paramref name="roots"/>, each object once, never entering <paramref name="absent"/>.</summary>
    public static RetainedGraph Walk(IEnumerable<object> roots, Func<Type, bool> foreign, IEnumerable<object> absent)
    {
        var graph = new RetainedGraph(foreign);
        foreach (var missing in absent)
        {
            graph._seen.Add(missing); // as if counted already: neither it nor what only it holds is counted
        }

        graph._excluded = graph._seen.Count;
        var pending = new Stack<object>();
        foreach (var root in roots)
        {
            pending.Push(root);
            graph._paths.TryAdd(root, root.GetType().Name);
        }

        while (pending.Count > 0)
        {
            graph.Visit(pending.Pop(), pending);
        }

        return graph;
    }

    private void Visit(object item, Stack<object> pending)
    {
        var type = item.GetType();
        if (_foreign(type) || !_seen.Add(item))
        {
            return;
        }

        long dotNet;
        long nano;
        if (item is string text)
        {
            dotNet = Align(22 + (2 * text.Length));
            nano = NanoHeap.String(text);
        }
        else if (item is Array array)
        {
            var element = type.GetElementType()!;
            dotNet = Align(24 + (array.LongLength * DotNetSlot(element)));
            nano = NanoHeap.Array(element, array.Length);
            if (!element.IsPrimitive)
            {
                foreach (var entry in array)
                {
                    Follow(entry, element, pending, PathOf(item) + "[]");
                }
            }
        }
        else
        {
            var fields = InstanceFields(type);
            dotNet = Align(16 + fields.Sum(f => DotNetSlot(f.FieldType)));
            nano = NanoHeap.Object(type);
            foreach (var field in fields)
            {
                Follow(field.GetValue(item), field.FieldType, pending, PathOf(item) + "." + field.Name);
            }
        }

        DotNetBytes += dotNet;
        NanoBytes += nano;
        _largest.Add((PathOf(item), nano));
        var name = type.IsArray ? type.GetElementType()!.Name + "[]" : type.Name;
        _byType[name] = _byType.TryGetValue(name, out var sum) ? (sum.Objects + 1, sum.NanoBytes + nano) : (1, nano);
    }

    private string PathOf(object item) => _paths.TryGetValue(item, out var path) ? path : "?";

    // A struct (in a field or an array) is walked in place: its references count, the struct itself is in its holder.
    private void Follow(object? value, Type declared, Stack<object> pending, string path)
    {
        if (value == null)
        {
            return;
        }

        if (declared.IsValueType && !declared.IsPrimitive && !declared.IsEnum)
        {
            foreach (var field in InstanceFields(value.GetType()))
            {
                Follow(field.GetValue(value), field.FieldType, pending, path + "." + field.Name);
            }

            return;
        }

        if (!value.GetType().IsValueType)
        {
            _paths.TryAdd(value, path);
            pending.Push(value);
        }
    }

    internal static FieldInfo[] InstanceFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (var t = type; t != null; t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }

        return [.. fields];
    }

    private static long DotNetSlot(Type type)
    {
        if (!type.IsValueType)
        {
            return 8;
        }

        if (type.IsEnum)
        {
            return DotNetSlot(Enum.GetUnderlyingType(type));
        }

        if (type.IsPrimitive)
        {
            return Type.GetTypeCode(type) switch
            {
                TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
                TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
                TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Single => 4,
                _ => 8,
            };
        }

        return Math.Max(1, InstanceFields(type).Sum(f => DotNetSlot(f.FieldType)));
    }

    private static long Align(long bytes) => Math.Max(24, (bytes + 7) / 8 * 8);
}

/// <summary>
/// How nanoFramework's CLR (nf-interpreter) sizes managed objects on a 32-bit board, read in its sources: everything
/// is allocated in whole 12-byte heap blocks (<c>CLR_RT_HeapBlock</c>, no other per-object overhead). An object is one
/// block of header and one per instance field, inherited ones included, whatever the field's type; a field of a
/// user-defined struct is a block that refers to the struct as an object of its own. An array is a 20-byte header and
/// its elements at 1, 2, 4 or 8 bytes, or 12 for references, DateTime, TimeSpan and structs (each struct element again
/// an object of its own). A string made at run time is a header block and its UTF-8 text with a terminator.
/// </summary>
public static class NanoHeap
{
    public const int Block = 12;

    public const int ArrayHeader = 20;

    public static long Object(Type type)
    {
        var fields = RetainedGraph.InstanceFields(type);
        var bytes = Block * (1L + fields.Length);
        foreach (var field in fields)
        {
            if (IsStruct(field.FieldType))
            {
                bytes += Object(field.FieldType);
            }
        }

        return bytes;
    }

    public static long Array(Type element, int length) =>
        Blocks(ArrayHeader + ((long)length * ElementBytes(element))) + (IsStruct(element) ? length * Object(element) : 0);

    public static long String(string text) => Blocks(Block + System.Text.Encoding.UTF8.GetByteCount(text) + 1);

    /// <summary>A user-defined value type: stored as an object of its own (primitives, enums, DateTime and TimeSpan are inline).</summary>
    private static bool IsStruct(Type type) =>
        type.IsValueType && !type.IsPrimitive && !type.IsEnum && type != typeof(DateTime) && type != typeof(TimeSpan);

    private static long ElementBytes(Type element)
    {
        if (element.IsEnum)
        {
            return ElementBytes(Enum.GetUnderlyingType(element));
        }

        if (!element.IsPrimitive)
        {
            return Block;
        }

        return Type.GetTypeCode(element) switch
        {
            TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
            TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
            TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Single => 4,
            _ => 8,
        };
    }

    private static long Blocks(long bytes) => (bytes + Block - 1) / Block * Block;
}
