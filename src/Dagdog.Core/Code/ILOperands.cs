using System.Reflection;
using System.Reflection.Emit;

namespace Dagdog.Code;

/// <summary>The operand kind of every IL opcode, read once from the runtime's own opcode table.</summary>
internal static class ILOperands
{
    private static readonly Dictionary<ushort, OperandType> ByOpcode = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => (ushort)code.Value, code => code.OperandType);

    public static OperandType Of(ushort opcode) =>
        ByOpcode.TryGetValue(opcode, out var type) ? type : throw new BadImageFormatException($"Unknown IL opcode 0x{opcode:x4}.");

    /// <summary>The size in bytes of an operand that holds neither a token nor a switch table.</summary>
    public static int SizeOf(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "This operand is not plain data."),
    };
}
