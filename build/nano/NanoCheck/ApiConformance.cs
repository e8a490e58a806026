using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// Checks our declarations of nanoFramework libraries (build/nano/api) against the real assemblies: every public
/// type, its kind, base type and interfaces, every public or protected method (parameters, return type, static,
/// default values, caller-info attributes) and field (type, constant value) that we declare must exist in the real
/// assembly of the same name exactly as declared. The real assembly may have more; we declare what we use.
/// </summary>
public static class ApiConformance
{
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 2 || !Directory.Exists(args[0]) || !Directory.Exists(args[1]))
        {
            output.WriteLine("nanocheck api: needs the folder of the declaration assemblies and the folder of the real ones");
            return 2;
        }

        var problems = 0;
        foreach (var declared in Directory.GetFiles(args[0], "*.dll").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(declared);
            var real = new[] { ".dll", ".exe" }.Select(ext => Path.Combine(args[1], name + ext)).FirstOrDefault(File.Exists);
            if (real == null)
            {
                output.WriteLine($"{name}: no real assembly of that name in {args[1]}");
                problems++;
                continue;
            }

            var missing = Compare(declared, real);
            output.WriteLine($"{name}: {(missing.Count == 0 ? "matches" : missing.Count + " declaration(s) not in the real assembly")}");
            foreach (var line in missing)
            {
                output.WriteLine("    " + line);
            }

            problems += missing.Count;
        }

        return problems == 0 ? 0 : 1;
    }

    /// <summary>The facts of <paramref name="declared"/> the real assembly does not state, each with a hint.</summary>
    public static List<string> Compare(string declared, string real)
    {
        var realFacts = Facts(real);
        var missing = new List<string>();
        foreach (var fact in Facts(declared).Where(f => !realFacts.Contains(f)))
        {
            // The same name in the real assembly (for a method: any overload), to show what it really is.
            var name = fact[..fact.IndexOfAny(['(', '|'])];
            var near = realFacts.Where(f => f.StartsWith(name, StringComparison.Ordinal) && "(|".Contains(f[name.Length], StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            missing.Add(fact.Replace('|', ' ') + (near.Count == 0 ? "  (no such name)" : "  (real: " + string.Join("; ", near.Select(f => f.Replace('|', ' '))) + ")"));
        }

        return missing;
    }

    /// <summary>One line per public type and public or protected member: "kind name|signature".</summary>
    public static HashSet<string> Facts(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var names = new TypeNames(metadata);
        var facts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            if (!IsVisible(metadata, type))
            {
                continue;
            }

            var typeName = names.Of(handle);
            facts.Add($"type {typeName}|{Kind(metadata, type, names)}");
            foreach (var implemented in type.GetInterfaceImplementations())
            {
                var interfaceName = names.Of(metadata.GetInterfaceImplementation(implemented).Interface);
                facts.Add($"implements {typeName}:{interfaceName}|yes");
            }

            foreach (var fieldHandle in type.GetFields())
            {
                var field = metadata.GetFieldDefinition(fieldHandle);
                if (IsVisible(field.Attributes))
                {
                    var constant = field.GetDefaultValue().IsNil ? "" : " = " + Constant(metadata, field.GetDefaultValue());
                    facts.Add($"field {typeName}::{metadata.GetString(field.Name)}|{field.DecodeSignature(names, null)}{constant}");
                }
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (IsVisible(method.Attributes))
                {
                    facts.Add($"method {typeName}::{metadata.GetString(method.Name)}({Parameters(metadata, method, names)})|{Returns(method, names)}");
                }
            }
        }

        return facts;
    }

    private static string Kind(MetadataReader metadata, TypeDefinition type, TypeNames names)
    {
        if ((type.Attributes & TypeAttributes.Interface) != 0)
        {
            return "interface";
        }

        var baseType = type.BaseType.IsNil ? "" : names.Of(type.BaseType);
        var modifiers = ((type.Attributes & TypeAttributes.Abstract) != 0 ? "abstract " : "") + ((type.Attributes & TypeAttributes.Sealed) != 0 ? "sealed " : "");
        return baseType switch
        {
            "System.Enum" => "enum of " + type.GetFields().Select(f => metadata.GetFieldDefinition(f)).First(f => metadata.GetString(f.Name) == "value__").DecodeSignature(names, null),
            "System.ValueType" => "struct",
            "System.MulticastDelegate" => "delegate",
            _ => modifiers + "class : " + baseType,
        };
    }

    private static string Parameters(MetadataReader metadata, MethodDefinition method, TypeNames names)
    {
        var signature = method.DecodeSignature(names, null);
        var parameters = new string[signature.ParameterTypes.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = signature.ParameterTypes[i];
        }

        foreach (var handle in method.GetParameters())
        {
            var parameter = metadata.GetParameter(handle);
            if (parameter.SequenceNumber == 0 || parameter.SequenceNumber > parameters.Length)
            {
                continue;
            }

            var i = parameter.SequenceNumber - 1;
            foreach (var attribute in parameter.GetCustomAttributes())
            {
                var attributeType = names.AttributeType(metadata.GetCustomAttribute(attribute));
                if (attributeType.StartsWith("System.Runtime.CompilerServices.Caller", StringComparison.Ordinal))
                {
                    parameters[i] = "[" + attributeType[(attributeType.LastIndexOf('.') + 1)..] + "] " + parameters[i];
                }
            }

            if ((parameter.Attributes & ParameterAttributes.HasDefault) != 0)
            {
                parameters[i] += " = " + Constant(metadata, parameter.GetDefaultValue());
            }
        }

        return string.Join(", ", parameters);
    }

    private static string Returns(MethodDefinition method, TypeNames names)
    {
        var signature = method.DecodeSignature(names, null);
        var modifiers = ((method.Attributes & MethodAttributes.Static) != 0 ? "static " : "")
            + ((method.Attributes & MethodAttributes.Abstract) != 0 ? "abstract " : "")
            + ((method.Attributes & MethodAttributes.Virtual) != 0 && (method.Attributes & MethodAttributes.Abstract) == 0 ? "virtual " : "");
        return modifiers + signature.ReturnType;
    }

    private static string Constant(MetadataReader metadata, ConstantHandle handle)
    {
        var constant = metadata.GetConstant(handle);
        var blob = metadata.GetBlobReader(constant.Value);
        return constant.TypeCode switch
        {
            ConstantTypeCode.NullReference => "null",
            ConstantTypeCode.String => "\"" + blob.ReadUTF16(blob.Length) + "\"",
            ConstantTypeCode.Boolean => blob.ReadBoolean().ToString(),
            ConstantTypeCode.Char => ((int)blob.ReadChar()).ToString(),
            ConstantTypeCode.SByte => blob.ReadSByte().ToString(),
            ConstantTypeCode.Byte => blob.ReadByte().ToString(),
            ConstantTypeCode.Int16 => blob.ReadInt16().ToString(),
            ConstantTypeCode.UInt16 => blob.ReadUInt16().ToString(),
            ConstantTypeCode.Int32 => blob.ReadInt32().ToString(),
            ConstantTypeCode.UInt32 => blob.ReadUInt32().ToString(),
            ConstantTypeCode.Int64 => blob.ReadInt64().ToString(),
            ConstantTypeCode.UInt64 => blob.ReadUInt64().ToString(),
            ConstantTypeCode.Single => blob.ReadSingle().ToString("R"),
            ConstantTypeCode.Double => blob.ReadDouble().ToString("R"),
            _ => constant.TypeCode.ToString(),
        };
    }

    private static bool IsVisible(MetadataReader metadata, TypeDefinition type)
    {
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (visibility == TypeAttributes.Public)
        {
            return true;
        }

        return visibility == TypeAttributes.NestedPublic && IsVisible(metadata, metadata.GetTypeDefinition(type.GetDeclaringType()));
    }

    private static bool IsVisible(FieldAttributes attributes)
    {
        var access = attributes & FieldAttributes.FieldAccessMask;
        return access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem;
    }

    private static bool IsVisible(MethodAttributes attributes)
    {
        var access = attributes & MethodAttributes.MemberAccessMask;
        return access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;
    }

    /// <summary>Full type names (Namespace.Outer+Inner) in signatures, whichever assembly a type is defined in.</summary>
    private sealed class TypeNames(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => Of((TypeDefinitionHandle)handle),
            HandleKind.TypeReference => Of((TypeReferenceHandle)handle),
            HandleKind.TypeSpecification => metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            _ => handle.Kind.ToString(),
        };

        public string Of(TypeDefinitionHandle handle)
        {
            var type = metadata.GetTypeDefinition(handle);
            var name = metadata.GetString(type.Name);
            var outer = type.GetDeclaringType();
            if (!outer.IsNil)
            {
                return Of(outer) + "+" + name;
            }

            var space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public string Of(TypeReferenceHandle handle)
        {
            var type = metadata.GetTypeReference(handle);
            var name = metadata.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return Of((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
            }

            var space = metadata.GetString(type.Namespace);
            return space.Length == 0 ? name : space + "." + name;
        }

        public string AttributeType(CustomAttribute attribute)
        {
            var constructor = attribute.Constructor;
            var parent = constructor.Kind == HandleKind.MemberReference
                ? metadata.GetMemberReference((MemberReferenceHandle)constructor).Parent
                : metadata.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType();
            return Of(parent);
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => "void",
            PrimitiveTypeCode.Boolean => "bool",
            PrimitiveTypeCode.Char => "char",
            PrimitiveTypeCode.SByte => "sbyte",
            PrimitiveTypeCode.Byte => "byte",
            PrimitiveTypeCode.Int16 => "short",
            PrimitiveTypeCode.UInt16 => "ushort",
            PrimitiveTypeCode.Int32 => "int",
            PrimitiveTypeCode.UInt32 => "uint",
            PrimitiveTypeCode.Int64 => "long",
            PrimitiveTypeCode.UInt64 => "ulong",
            PrimitiveTypeCode.Single => "float",
            PrimitiveTypeCode.Double => "double",
            PrimitiveTypeCode.String => "string",
            PrimitiveTypeCode.Object => "object",
            PrimitiveTypeCode.IntPtr => "IntPtr",
            PrimitiveTypeCode.UIntPtr => "UIntPtr",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => "ref " + elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) =>
            modifier == "System.Runtime.InteropServices.InAttribute" ? "in " + unmodifiedType.Replace("ref ", "", StringComparison.Ordinal) : unmodifiedType;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
