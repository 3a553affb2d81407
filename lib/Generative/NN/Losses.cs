using Generative.Tensors;

namespace Generative.NN;

/// <summary>How a loss combines its per-element (or per-example) values (PyTorch's <c>reduction</c> argument).</summary>
public enum Reduction
{
    /// <summary>The average over all values (PyTorch's default, <c>'mean'</c>): a scalar.</summary>
    Mean,

    /// <summary>The total of all values (<c>'sum'</c>): a scalar.</summary>
    Sum,

    /// <summary>No reduction (<c>'none'</c>): one value per element or per example; see each loss for the shape.</summary>
    None,
}

/// <summary>
/// Loss functions (PyTorch's <c>torch.nn.functional</c> losses). Each returns a tensor on the autograd graph, so
/// <c>loss.Backward()</c> reaches the model's parameters; targets are treated as constants unless they require
/// gradients themselves.
/// </summary>
/// <remarks>
/// <see cref="MseLoss"/>, <see cref="CrossEntropy(Tensor, Tensor, Reduction)"/>, <see cref="NllLoss(Tensor, Tensor, Reduction)"/>
/// and <see cref="GaussianKL"/> are composed from the engine's primitives (whose gradients are tested one by one);
/// the two binary cross-entropies are fused elementwise ops with hand-derived backward passes, because composing them
/// is either unstable (log of a sigmoid) or cannot reproduce PyTorch's clamping without NaN gradients.
/// </remarks>
public static partial class Losses
{
    /// <summary>
    /// Mean squared error (PyTorch's <c>mse_loss</c>): (input − target)² per element, then reduced.
    /// </summary>
    /// <param name="input">Predictions, any shape.</param>
    /// <param name="target">Targets, the same shape as <paramref name="input"/>.</param>
    /// <param name="reduction">How to combine the squared errors; <see cref="Reduction.None"/> keeps the input's shape.</param>
    /// <exception cref="ArgumentException">The shapes differ (the message names both).</exception>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape("MseLoss", input, "input", target, "target");
        return Reduce((input - target).Pow(2), reduction);
    }

    /// <summary>
    /// KL(N(μ, diag(exp(logVar))) ‖ N(0, I)) in nats, the closed form a VAE's ELBO subtracts:
    /// −½ Σⱼ (1 + logVarⱼ − μⱼ² − exp(logVarⱼ)), summed over the last dimension (the latent dimensions of one
    /// example).
    /// </summary>
    /// <param name="mean">μ, of shape (..., D): typically (N, D) for N examples with D latent dimensions.</param>
    /// <param name="logVar">log σ², the same shape as <paramref name="mean"/>.</param>
    /// <param name="reduction">
    /// <see cref="Reduction.None"/> returns one KL per example, of shape (...) (the input's shape without its last
    /// dimension: (N) for (N, D) inputs, a scalar for a single (D) vector); <see cref="Reduction.Mean"/> averages
    /// those per-example values over the examples (it does <em>not</em> divide by D); <see cref="Reduction.Sum"/>
    /// adds them up.
    /// </param>
    /// <exception cref="ArgumentException">The shapes differ, or the inputs are scalars.</exception>
    public static Tensor GaussianKL(Tensor mean, Tensor logVar, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape("GaussianKL", mean, "mean", logVar, "logVar");
        if (mean.Rank == 0)
        {
            throw new ArgumentException("GaussianKL: mean and logVar must have at least one dimension (the latent dimensions).", nameof(mean));
        }
        var perDimension = (1f + logVar) - mean.Pow(2) - logVar.Exp();
        return Reduce(perDimension.Sum(-1) * -0.5f, reduction);
    }

    /// <summary>
    /// Cross-entropy of class logits against class indices (PyTorch's <c>cross_entropy</c>): −log softmax(logits)[target]
    /// for each example, i.e. <see cref="NllLoss(Tensor, Tensor, Reduction)"/> of <see cref="Tensor.LogSoftmax"/> over the
    /// class dimension (stable for any logits: the log-sum-exp subtracts the maximum).
    /// </summary>
    /// <param name="logits">Unnormalised log-probabilities of shape (N, C), or (N, C, d₁, ..., dₖ) for a class per
    /// position (e.g. a PixelCNN's 256-way pixel values of shape (N, 256, H, W)).</param>
    /// <param name="targets">
    /// Either class indices, shaped like <paramref name="logits"/> without the class dimension ((N) or (N, d₁, ..., dₖ)),
    /// holding whole numbers in [0, C); or, when shaped exactly like <paramref name="logits"/>, class probabilities
    /// (soft labels), giving −Σ_c targets[c] log softmax(logits)[c].
    /// </param>
    /// <param name="reduction"><see cref="Reduction.None"/> returns one loss per example (and position), of the
    /// shape (N) or (N, d₁, ..., dₖ); Mean averages over all of them.</param>
    /// <exception cref="ArgumentException">The shapes do not fit, or an index is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside [0, C).</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        RequireClassDimension("CrossEntropy", logits);
        var logProbs = logits.LogSoftmax(1);
        if (SameShape(logits, targets))
        {
            return Reduce((logProbs * targets).Sum(1).Neg(), reduction);
        }
        return NllLoss(logProbs, targets, reduction, "CrossEntropy");
    }

    /// <summary><see cref="CrossEntropy(Tensor, Tensor, Reduction)"/> with class indices given as integers, in
    /// row-major order of the logits' shape without the class dimension.</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        RequireClassDimension("CrossEntropy", logits);
        return NllLoss(logits.LogSoftmax(1), targets, reduction, "CrossEntropy");
    }

    /// <summary>
    /// Negative log-likelihood of class indices given log-probabilities (PyTorch's <c>nll_loss</c>):
    /// −logProbs[n, targets[n]] per example (a gather, so the gradient reaches only the picked entries).
    /// </summary>
    /// <param name="logProbs">Log-probabilities of shape (N, C) or (N, C, d₁, ..., dₖ), e.g. from
    /// <see cref="Tensor.LogSoftmax"/> over dimension 1.</param>
    /// <param name="targets">Class indices as whole numbers in [0, C), of shape (N) or (N, d₁, ..., dₖ).</param>
    /// <param name="reduction"><see cref="Reduction.None"/> returns the per-example losses, shaped like
    /// <paramref name="targets"/>.</param>
    /// <exception cref="ArgumentException">The shapes do not fit, or an index is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside [0, C).</exception>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction = Reduction.Mean) =>
        NllLoss(logProbs, targets, reduction, "NllLoss");

    /// <summary><see cref="NllLoss(Tensor, Tensor, Reduction)"/> with class indices given as integers, in row-major
    /// order of the log-probabilities' shape without the class dimension.</summary>
    public static Tensor NllLoss(Tensor logProbs, int[] targets, Reduction reduction = Reduction.Mean) =>
        NllLoss(logProbs, targets, reduction, "NllLoss");

    private static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction, string op)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(targets);
        RequireClassDimension(op, logProbs);
        var expected = ShapeWithoutClasses(logProbs);
        if (!SameShape(targets, expected))
        {
            throw new ArgumentException(
                $"{op}: targets of shape {Tensor.FormatShape(targets.Shape)} do not fit input of shape " +
                $"{Tensor.FormatShape(logProbs.Shape)}; expected class indices of shape {Tensor.FormatShape(expected)}" +
                (op == "CrossEntropy" ? " or class probabilities shaped like the logits." : "."),
                nameof(targets));
        }
        var values = targets.ToArray();
        var indices = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value != MathF.Round(value) || !float.IsFinite(value))
            {
                throw new ArgumentException(
                    $"{op}: target {value} at position {i} is not a whole number; targets hold class indices.", nameof(targets));
            }
            indices[i] = (int)value;
        }
        return Gather(logProbs, indices, expected, reduction, op);
    }

    private static Tensor NllLoss(Tensor logProbs, int[] targets, Reduction reduction, string op)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(targets);
        RequireClassDimension(op, logProbs);
        var expected = ShapeWithoutClasses(logProbs);
        var count = 1;
        foreach (var size in expected)
        {
            count *= size;
        }
        if (targets.Length != count)
        {
            throw new ArgumentException(
                $"{op}: {targets.Length} targets given for input of shape {Tensor.FormatShape(logProbs.Shape)}; " +
                $"expected {count} class indices (shape {Tensor.FormatShape(expected)}).", nameof(targets));
        }
        return Gather(logProbs, targets, expected, reduction, op);
    }

    /// <summary>−logProbs[n, targets[n], ...] for each example and position, reduced.</summary>
    private static Tensor Gather(Tensor logProbs, int[] targets, int[] lossShape, Reduction reduction, string op)
    {
        var classes = logProbs.Size(1);
        // Move the class dimension last, so row r of the (rows, C) matrix is example/position r in targets' order.
        var matrix = logProbs;
        if (logProbs.Rank > 2)
        {
            var order = new int[logProbs.Rank];
            order[0] = 0;
            for (var d = 2; d < logProbs.Rank; d++)
            {
                order[d - 1] = d;
            }
            order[^1] = 1;
            matrix = logProbs.Permute(order);
        }
        var flat = matrix.Reshape(-1);
        var picks = new int[targets.Length];
        for (var r = 0; r < targets.Length; r++)
        {
            var target = targets[r];
            if ((uint)target >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), target,
                    $"{op}: target {target} at position {r} is not a class index in [0, {classes}) (input shape {Tensor.FormatShape(logProbs.Shape)}).");
            }
            picks[r] = r * classes + target;
        }
        var picked = flat.IndexSelect(0, picks).Neg();
        return Reduce(reduction == Reduction.None ? picked.Reshape(lossShape) : picked, reduction);
    }

    /// <summary>Applies <paramref name="reduction"/> to per-element (or per-example) losses.</summary>
    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    private static void RequireClassDimension(string op, Tensor input)
    {
        if (input.Rank < 2)
        {
            throw new ArgumentException(
                $"{op}: input of shape {Tensor.FormatShape(input.Shape)} has no class dimension; expected (N, C) or " +
                "(N, C, d1, ..., dk). For a single example, add a batch dimension with Unsqueeze(0).", nameof(input));
        }
    }

    private static int[] ShapeWithoutClasses(Tensor input)
    {
        var shape = new int[input.Rank - 1];
        shape[0] = input.Size(0);
        for (var d = 2; d < input.Rank; d++)
        {
            shape[d - 1] = input.Size(d);
        }
        return shape;
    }

    private static void RequireSameShape(string op, Tensor a, string nameA, Tensor b, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a, nameA);
        ArgumentNullException.ThrowIfNull(b, nameB);
        if (!SameShape(a, b))
        {
            throw new ArgumentException(
                $"{op}: {nameA} of shape {Tensor.FormatShape(a.Shape)} and {nameB} of shape {Tensor.FormatShape(b.Shape)} " +
                "must have the same shape.", nameB);
        }
    }

    private static bool SameShape(Tensor a, Tensor b)
    {
        if (a.Rank != b.Rank)
        {
            return false;
        }
        for (var d = 0; d < a.Rank; d++)
        {
            if (a.Size(d) != b.Size(d))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameShape(Tensor a, int[] shape)
    {
        if (a.Rank != shape.Length)
        {
            return false;
        }
        for (var d = 0; d < shape.Length; d++)
        {
            if (a.Size(d) != shape[d])
            {
                return false;
            }
        }
        return true;
    }
}
