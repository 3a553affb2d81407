using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>NADE in TorchSharp, written the way the paper states it rather than as the course's fused sweep: every
/// hidden pre-activation c + W[:, :d] x_&lt;d at once as an exclusive cumulative sum over the dimensions.</summary>
internal sealed class NadeTwin : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter hidden_bias;
    private readonly Parameter output_weight;
    private readonly Parameter output_bias;

    public NadeTwin(int dimensions, int hiddenUnits) : base(nameof(NadeTwin))
    {
        weight = new Parameter(zeros(hiddenUnits, dimensions));
        hidden_bias = new Parameter(zeros(hiddenUnits));
        output_weight = new Parameter(zeros(dimensions, hiddenUnits));
        output_bias = new Parameter(zeros(dimensions));
        RegisterComponents();
    }

    /// <summary>logit_d = b_d + V[d] · σ(c + Σ_{j&lt;d} W[:, j] x_j), shape (N, D).</summary>
    public override Tensor forward(Tensor x)
    {
        var terms = x.unsqueeze(2) * weight.t().unsqueeze(0);               // (N, D, H): W[:, j] x_j
        var running = terms.cumsum(1);
        var before = cat([zeros_like(terms.narrow(1, 0, 1)), running.narrow(1, 0, x.shape[1] - 1)], 1);
        var hidden = (before + hidden_bias).sigmoid();
        return (hidden * output_weight.unsqueeze(0)).sum(2) + output_bias;
    }

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
