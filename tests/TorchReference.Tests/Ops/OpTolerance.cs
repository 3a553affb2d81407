namespace TorchReference.Tests.Ops;

/// <summary>
/// How far the engine (float32) may be from TorchSharp (float32) on one op, forward values and input gradients alike:
/// |ours - torch| &lt;= Relative * max(1, |torch|) for every element. Both sides round to float32, so the bounds are in
/// units of float32's machine epsilon; which one an op gets depends on how many roundings separate the two results.
/// </summary>
/// <param name="Name">The tolerance's name, shown in failures and in the report.</param>
/// <param name="Relative">The bound, relative to max(1, |torch|).</param>
public sealed record OpTolerance(string Name, double Relative)
{
    /// <summary>2^-23, the spacing of float32 values in [1, 2).</summary>
    public const double Float32Epsilon = 1.0 / (1 << 23);

    /// <summary>Both engines move or pick the same float32 values (views, copies, indexing, relu, max) and, backward,
    /// add at most two gradient contributions, which IEEE addition rounds identically in either order: bit for bit.</summary>
    public static readonly OpTolerance Exact = new(nameof(Exact), 0);

    /// <summary>One or two correctly rounded operations per element (+, -, *, /, sqrt) that either engine may group
    /// differently (a / b against a * (1 / b), a * a * b against a * (a * b)): a few half-ulps.</summary>
    public static readonly OpTolerance Arithmetic = new(nameof(Arithmetic), 4 * Float32Epsilon);

    /// <summary>Transcendental functions (exp, log, tanh, pow, sigmoid, softplus) evaluated by different libraries
    /// (TensorPrimitives and scalar MathF here, SLEEF or libm in libtorch), each a few ulps from the true value, then
    /// chained with their derivative's arithmetic: 16 ulps.</summary>
    public static readonly OpTolerance Transcendental = new(nameof(Transcendental), 16 * Float32Epsilon);

    /// <summary>A sum of <paramref name="terms"/> float32 products or values (a reduction, a matrix product, a
    /// convolution, the statistics of a normalisation, forward or backward, whichever is longest) accumulated in a
    /// different order or blocking: the rounding error of recursive summation grows at most linearly in the number of
    /// terms (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., section 4.2), so 4 ulps per term over
    /// the transcendental allowance for the functions such ops also apply.</summary>
    public static OpTolerance Sum(int terms) => new($"{nameof(Sum)}({terms})", (16 + 4.0 * terms) * Float32Epsilon);

    public override string ToString() => $"{Name} = {Relative:g3}";
}
