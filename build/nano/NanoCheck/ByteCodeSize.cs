using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// The size a method body takes in a nanoFramework .pe byte-code table, computed from its IL exactly as the metadata
/// processor writes it (MetadataProcessor.Shared, CodeWriter): the opcodes are kept, metadata and branch operands
/// shrink from 4 to 2 bytes, a switch table to 1 + 2 per target, and each exception handler takes 12 bytes plus one
/// count byte per method.
/// </summary>
public static class ByteCodeSize
{
    private const int HandlerBytes = 12;

    public static int Of(MethodBodyBlock body)
    {
        var reader = body.GetILReader();
        var size = 0;
        while (reader.RemainingBytes > 0)
        {
            var opcode = ReadOpCode(ref reader, out var opcodeSize);
            size += opcodeSize + NanoOperandSize(ref reader, opcode);
        }

        var handlers = body.ExceptionRegions.Length;
        return handlers == 0 ? size : size + (handlers * HandlerBytes) + 1;
    }

    private static ILOpCode ReadOpCode(ref BlobReader reader, out int size)
    {
        int value = reader.ReadByte();
        size = 1;
        if (value == 0xFE)
        {
            value = 0xFE00 | reader.ReadByte();
            size = 2;
        }

        return (ILOpCode)value;
    }

    /// <summary>Skips the operand in the IL and returns its size in the nanoFramework byte code.</summary>
    private static int NanoOperandSize(ref BlobReader reader, ILOpCode opcode)
    {
        switch (OperandOf(opcode))
        {
            case Operand.None:
                return 0;
            case Operand.Byte:
                reader.Offset += 1;
                return 1;
            case Operand.Short:
                reader.Offset += 2;
                return 2;
            case Operand.Int:
                reader.Offset += 4;
                return 4;
            case Operand.Long:
                reader.Offset += 8;
                return 8;
            case Operand.Token:
                reader.Offset += 4;
                return 2;
            case Operand.TokenKept:
                reader.Offset += 4;
                return 4;
            case Operand.Signature:
                reader.Offset += 4;
                return 0;
            case Operand.Switch:
                var targets = reader.ReadInt32();
                reader.Offset += 4 * targets;
                return 1 + (2 * targets);
            default:
                throw new InvalidOperationException("unknown operand of " + opcode);
        }
    }

    private enum Operand
    {
        None,
        Byte,
        Short,
        Int,
        Long,
        Token,
        TokenKept,
        Signature,
        Switch,
    }

    private static Operand OperandOf(ILOpCode opcode)
    {
        switch (opcode)
        {
            case ILOpCode.Ldarg_s:
            case ILOpCode.Ldarga_s:
            case ILOpCode.Starg_s:
            case ILOpCode.Ldloc_s:
            case ILOpCode.Ldloca_s:
            case ILOpCode.Stloc_s:
            case ILOpCode.Ldc_i4_s:
            case ILOpCode.Unaligned:
                return Operand.Byte;
            case ILOpCode.Ldarg:
            case ILOpCode.Ldarga:
            case ILOpCode.Starg:
            case ILOpCode.Ldloc:
            case ILOpCode.Ldloca:
            case ILOpCode.Stloc:
                return Operand.Short;
            case ILOpCode.Ldc_i4:
            case ILOpCode.Ldc_r4:
                return Operand.Int;
            case ILOpCode.Ldc_i8:
            case ILOpCode.Ldc_r8:
                return Operand.Long;
            case ILOpCode.Ldtoken:
                return Operand.TokenKept;
            case ILOpCode.Calli:
                return Operand.Signature;
            case ILOpCode.Switch:
                return Operand.Switch;
        }

        if (opcode.IsBranch())
        {
            // Short branches keep their 1-byte offset; long ones shrink to 2 bytes, like tokens.
            return opcode.GetBranchOperandSize() == 1 ? Operand.Byte : Operand.Token;
        }

        return HasTokenOperand(opcode) ? Operand.Token : Operand.None;
    }

    private static bool HasTokenOperand(ILOpCode opcode)
    {
        switch (opcode)
        {
            case ILOpCode.Jmp:
            case ILOpCode.Call:
            case ILOpCode.Callvirt:
            case ILOpCode.Newobj:
            case ILOpCode.Ldftn:
            case ILOpCode.Ldvirtftn:
            case ILOpCode.Ldfld:
            case ILOpCode.Ldflda:
            case ILOpCode.Stfld:
            case ILOpCode.Ldsfld:
            case ILOpCode.Ldsflda:
            case ILOpCode.Stsfld:
            case ILOpCode.Ldstr:
            case ILOpCode.Cpobj:
            case ILOpCode.Ldobj:
            case ILOpCode.Stobj:
            case ILOpCode.Castclass:
            case ILOpCode.Isinst:
            case ILOpCode.Unbox:
            case ILOpCode.Unbox_any:
            case ILOpCode.Box:
            case ILOpCode.Newarr:
            case ILOpCode.Ldelema:
            case ILOpCode.Ldelem:
            case ILOpCode.Stelem:
            case ILOpCode.Refanyval:
            case ILOpCode.Mkrefany:
            case ILOpCode.Initobj:
            case ILOpCode.Constrained:
            case ILOpCode.Sizeof:
                return true;
            default:
                return false;
        }
    }
}
