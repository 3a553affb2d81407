using Generative.Tests.NN;
using TorchSharp;
using static TorchSharp.torch.nn.functional;
using TorchReduction = TorchSharp.torch.nn.Reduction;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>
/// The TorchSharp counterpart of every row of the loss table (<see cref="LossCases"/>), keyed by the row's name, each
/// with libtorch's own loss (binary_cross_entropy_with_logits, cross_entropy, nll_loss, ...) and, for the Gaussian KL
/// of a VAE, the entropy of TorchSharp's Normal distribution.
/// </summary>
internal static class TorchLosses
{
    private static OpTolerance Arithmetic => OpTolerance.Arithmetic;

    private static OpTolerance Transcendental => OpTolerance.Transcendental;

    private static OpTolerance Sum(int terms) => OpTolerance.Sum(terms);

    private static TorchTensor ClassTargets => torch.tensor(LossCases.ClassTargets.Select(t => (long)t).ToArray());

    /// <summary>KL(N(mean, exp(logVar)) || N(0, 1)) summed over the last dimension, as -entropy(q) - E_q[log p]: the
    /// entropy from TorchSharp's Normal distribution, and E_q[log N(z; 0, 1)] = -(log 2 pi + mean^2 + variance) / 2.
    /// (TorchSharp 0.107 has no kl_divergence; the engine writes the closed form (variance + mean^2 - 1 - logVar) / 2.)</summary>
    private static TorchTensor GaussianKL(TorchTensor mean, TorchTensor logVar)
    {
        var posterior = torch.distributions.Normal(mean, (0.5 * logVar).exp());
        var expectedLogPrior = -0.5 * (Math.Log(2 * Math.PI) + mean.square() + logVar.exp());
        return (-posterior.entropy() - expectedLogPrior).sum(-1);
    }

    public static readonly IReadOnlyDictionary<string, TorchOp> ByName = new Dictionary<string, TorchOp>
    {
        ["BCEWithLogits mean"] = new(x => binary_cross_entropy_with_logits(x[0], x[1]), Sum(12)),
        ["BCEWithLogits sum, wide logits, binary targets"] =
            new(x => binary_cross_entropy_with_logits(x[0], x[1], reduction: TorchReduction.Sum), Sum(20)),
        ["BCEWithLogits none, targets differentiable"] =
            new(x => binary_cross_entropy_with_logits(x[0], x[1], reduction: TorchReduction.None), Transcendental),
        ["BCEWithLogits none, transposed logits"] =
            new(x => binary_cross_entropy_with_logits(x[0].t(), x[1], reduction: TorchReduction.None), Transcendental),

        ["BCE mean"] = new(x => binary_cross_entropy(x[0], x[1]), Sum(12)),
        ["BCE sum, binary targets"] = new(x => binary_cross_entropy(x[0], x[1], reduction: TorchReduction.Sum), Sum(10)),
        ["BCE none, targets differentiable"] = new(x => binary_cross_entropy(x[0], x[1], reduction: TorchReduction.None), Transcendental),

        ["CrossEntropy mean, int targets"] = new(x => cross_entropy(x[0], ClassTargets), Sum(5)),
        ["CrossEntropy none, wide logits"] = new(x => cross_entropy(x[0], ClassTargets, reduction: TorchReduction.None), Sum(5)),
        ["CrossEntropy sum, (N, C, H, W) with tensor targets"] =
            new(x => cross_entropy(x[0], torch.tensor(LossCases.PixelTargets).to(torch.int64).reshape(2, 2, 2), reduction: TorchReduction.Sum), Sum(8)),
        ["CrossEntropy mean, soft targets differentiable"] = new(x => cross_entropy(x[0], x[1]), Sum(4)),

        ["NllLoss mean"] = new(x => nll_loss(x[0], ClassTargets), Sum(4)),
        ["NllLoss none, tensor targets"] = new(x => nll_loss(x[0], ClassTargets, reduction: TorchReduction.None), Arithmetic),

        ["MseLoss mean"] = new(x => mse_loss(x[0], x[1]), Sum(12)),
        ["MseLoss sum, both differentiable"] = new(x => mse_loss(x[0], x[1], reduction: TorchReduction.Sum), Sum(5)),
        ["MseLoss none"] = new(x => mse_loss(x[0], x[1], reduction: TorchReduction.None), Arithmetic),

        ["GaussianKL mean"] = new(x => GaussianKL(x[0], x[1]).mean(), Sum(4)),
        ["GaussianKL none"] = new(x => GaussianKL(x[0], x[1]), Sum(4)),
        ["GaussianKL sum, (B, T, D)"] = new(x => GaussianKL(x[0], x[1]).sum(), Sum(12)),
    };
}
