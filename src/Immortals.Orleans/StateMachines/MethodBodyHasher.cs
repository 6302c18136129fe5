using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Hashes a method body with its metadata tokens resolved to member names.
/// </summary>
/// <remarks>
/// Raw IL bytes contain metadata tokens that shift whenever unrelated members are added to the assembly, so each
/// token operand is replaced by the name of the member, type, string or signature it refers to. Branch offsets,
/// constants, locals and exception clauses are hashed as they are.
/// </remarks>
internal static class MethodBodyHasher
{
    private static readonly OpCode[] OneByteOpCodes = new OpCode[0x100];
    private static readonly OpCode[] TwoByteOpCodes = new OpCode[0x100];

    static MethodBodyHasher()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (code.Size == 1)
            {
                OneByteOpCodes[value] = code;
            }
            else
            {
                TwoByteOpCodes[value & 0xff] = code;
            }
        }
    }

    /// <summary>Returns a 16-byte hash of the body of <paramref name="method"/>, or of its absence.</summary>
    public static byte[] Hash(MethodBase method)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = method.GetMethodBody();
        if (body is null)
        {
            Append(hash, "no body");
            return hash.GetHashAndReset()[..16];
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring
            ? declaring.GetGenericArguments()
            : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        AppendInstructions(hash, method.Module, body.GetILAsByteArray() ?? [], typeArguments, methodArguments);

        foreach (var local in body.LocalVariables)
        {
            Append(hash, "local " + TypeNames.Format(local.LocalType));
        }

        foreach (var clause in body.ExceptionHandlingClauses)
        {
            var catchType = clause.Flags == ExceptionHandlingClauseOptions.Clause && clause.CatchType is not null
                ? TypeNames.Format(clause.CatchType)
                : string.Empty;
            Append(
                hash,
                $"clause {clause.Flags} {clause.TryOffset} {clause.TryLength} {clause.HandlerOffset} "
                + $"{clause.HandlerLength} {catchType} "
                + (clause.Flags == ExceptionHandlingClauseOptions.Filter ? clause.FilterOffset : 0));
        }

        return hash.GetHashAndReset()[..16];
    }

    private static void AppendInstructions(
        IncrementalHash hash,
        Module module,
        byte[] il,
        Type[]? typeArguments,
        Type[]? methodArguments)
    {
        var position = 0;
        while (position < il.Length)
        {
            var start = position;
            OpCode code;
            if (il[position] == 0xfe)
            {
                code = TwoByteOpCodes[il[position + 1]];
                position += 2;
            }
            else
            {
                code = OneByteOpCodes[il[position]];
                position += 1;
            }

            hash.AppendData(il.AsSpan(start, position - start));
            var operandSize = GetOperandSize(code.OperandType, il, position);
            if (IsToken(code.OperandType))
            {
                var token = BitConverter.ToInt32(il, position);
                Append(hash, DescribeToken(module, code.OperandType, token, typeArguments, methodArguments));
            }
            else
            {
                hash.AppendData(il.AsSpan(position, operandSize));
            }

            position += operandSize;
        }
    }

    private static bool IsToken(OperandType operandType) => operandType is OperandType.InlineMethod
        or OperandType.InlineField
        or OperandType.InlineType
        or OperandType.InlineTok
        or OperandType.InlineString
        or OperandType.InlineSig;

    private static int GetOperandSize(OperandType operandType, byte[] il, int position) => operandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static string DescribeToken(
        Module module,
        OperandType operandType,
        int token,
        Type[]? typeArguments,
        Type[]? methodArguments)
    {
        try
        {
            return operandType switch
            {
                OperandType.InlineString => "str " + module.ResolveString(token),
                OperandType.InlineSig => "sig " + Convert.ToHexString(module.ResolveSignature(token)),
                _ => DescribeMember(module.ResolveMember(token, typeArguments, methodArguments)),
            };
        }
        catch (ArgumentException)
        {
            // A token the reflection API cannot resolve (for example a vararg call site) is hashed by its row
            // number alone, which is as stable as the assembly layout.
            return "token " + token.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static string DescribeMember(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                return "type " + TypeNames.Format(type);
            case FieldInfo field:
                return $"field {TypeNames.Format(field.DeclaringType!)}::{TypeNames.RemoveOrdinals(field.Name)} {TypeNames.Format(field.FieldType)}";
            case MethodBase method:
                var text = new StringBuilder("method ")
                    .Append(method.DeclaringType is null ? string.Empty : TypeNames.Format(method.DeclaringType))
                    .Append("::")
                    .Append(TypeNames.RemoveOrdinals(method.Name));
                if (method.IsGenericMethod)
                {
                    text.Append('<').AppendJoin(',', method.GetGenericArguments().Select(TypeNames.Format)).Append('>');
                }

                text.Append('(').AppendJoin(',', method.GetParameters().Select(p => TypeNames.Format(p.ParameterType))).Append(')');
                return text.ToString();
            default:
                return "member " + member;
        }
    }

    private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
}
