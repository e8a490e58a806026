using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// An upper estimate of an assembly's string table in its .pe image: every distinct name it defines or references
/// and every string literal, UTF-8 with a terminator. The metadata processor stores fewer (nanoCLR has a table of
/// common names built in); measured on EdgeMeter's assemblies the estimate is 10-15 % above the real table.
/// </summary>
public static class StringTableSize
{
    public static int Estimate(MetadataReader metadata)
    {
        var strings = new HashSet<string>(StringComparer.Ordinal);
        void Add(StringHandle handle) => strings.Add(metadata.GetString(handle));

        Add(metadata.GetAssemblyDefinition().Name);
        foreach (var handle in metadata.AssemblyReferences)
        {
            Add(metadata.GetAssemblyReference(handle).Name);
        }

        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            Add(type.Name);
            Add(type.Namespace);
            foreach (var field in type.GetFields())
            {
                Add(metadata.GetFieldDefinition(field).Name);
            }

            foreach (var method in type.GetMethods())
            {
                Add(metadata.GetMethodDefinition(method).Name);
            }
        }

        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            Add(type.Name);
            Add(type.Namespace);
        }

        foreach (var handle in metadata.MemberReferences)
        {
            Add(metadata.GetMemberReference(handle).Name);
        }

        for (var literal = MetadataTokens.UserStringHandle(1); !literal.IsNil; literal = metadata.GetNextHandle(literal))
        {
            strings.Add(metadata.GetUserString(literal));
        }

        return strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1);
    }
}
