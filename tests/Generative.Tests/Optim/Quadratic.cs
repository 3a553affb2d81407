using Generative.Tensors;

namespace Generative.Tests.Optim;

/// <summary>
/// f(θ) = ½ Σᵢ aᵢ (θᵢ − cᵢ)², a small convex quadratic with different curvature per coordinate, so adaptive and
/// plain methods follow visibly different paths. ∇f = a ⊙ (θ − c), minimum at c.
/// </summary>
internal sealed class Quadratic(double[] curvature, double[] center, int[] shape)
{
    /// <summary>Two quadratics of different shapes, standing in for a weight matrix and a bias.</summary>
    public static Quadratic[] Pair =>
    [
        new([1.0, 3.0, 0.5, 2.0], [1.0, -2.0, 0.5, 3.0], [2, 2]),
        new([0.25, 4.0, 1.5], [-1.0, 0.75, 2.0], [3]),
    ];

    public double[] Curvature { get; } = curvature;

    public double[] Center { get; } = center;

    public int[] Shape { get; } = shape;

    /// <summary>A start away from the minimum, rounded to float32 so engine and reference begin at the same point.</summary>
    public double[] Start => Center.Select((c, i) => (double)(float)(c - 1.5 + 0.7 * i)).ToArray();

    public Tensor NewParameter()
    {
        var parameter = Tensor.FromArray(Start.Select(v => (float)v).ToArray(), Shape);
        parameter.RequiresGrad = true;
        return parameter;
    }

    /// <summary>f computed with the engine, so Backward fills θ.Grad.</summary>
    public Tensor Loss(Tensor theta)
    {
        var a = Tensor.FromArray(Curvature.Select(v => (float)v).ToArray(), Shape);
        var c = Tensor.FromArray(Center.Select(v => (float)v).ToArray(), Shape);
        return ((theta - c).Pow(2) * a).Sum() * 0.5f;
    }

    public double[] Gradient(double[] theta) => theta.Select((t, i) => Curvature[i] * (t - Center[i])).ToArray();
}
