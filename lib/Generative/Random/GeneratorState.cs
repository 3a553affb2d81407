namespace Generative;

/// <summary>A snapshot of a <see cref="Generator"/>: its four xoshiro256** state words and the spare standard normal
/// it holds, if any. Assigning it to <see cref="Generator.State"/> makes that generator continue from here.</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="SpareNormal">The second normal of the last polar-method pair, not yet returned; null when none is held.</param>
public readonly record struct GeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal);
