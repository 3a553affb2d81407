using Generative.Models;
using Generative.Tensors;

namespace Generative.Evaluation;

/// <summary>Exact likelihood of a data set under a density model: the number a results table reports.</summary>
public static class Likelihood
{
    /// <summary>The mean negative log-likelihood −(1/N) Σ_n log p(x_n) in nats per example, evaluated in batches
    /// without recording autograd and summed in double precision.</summary>
    /// <param name="model">Any model with an exact likelihood (<see cref="DensityModel"/>).</param>
    /// <param name="data">Binary vectors, shape (N, D) with N ≥ 1.</param>
    /// <param name="batchSize">Examples per forward pass (memory, not the result, depends on it up to rounding).</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not a non-empty (N, D) batch.</exception>
    public static double MeanNll(DensityModel model, Tensor data, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Rank != 2 || data.Size(0) == 0)
        {
            throw new ArgumentException($"MeanNll: data must be a non-empty batch (N, {model.Dimensions}), got shape {Tensor.FormatShape(data.Shape)}.", nameof(data));
        }
        using (Tensor.NoGrad())
        {
            double total = 0;
            for (var start = 0; start < data.Size(0); start += batchSize)
            {
                var batch = data.Narrow(0, start, Math.Min(batchSize, data.Size(0) - start));
                foreach (var logProb in model.LogProb(batch).ToArray())
                {
                    total -= logProb;
                }
            }
            return total / data.Size(0);
        }
    }

    /// <summary>The mean of −log p̂(x_n) in nats per example for a model whose likelihood is only estimated: its
    /// <paramref name="samples"/>-sample importance-weighted estimate (<see cref="LatentVariableModel.LogProbEstimate"/>),
    /// an upper bound on the NLL in expectation. Batches are evaluated in order, each drawing from
    /// <paramref name="generator"/> in turn, so the same generator seed and batch size give the same draws.</summary>
    /// <param name="model">A latent-variable model such as the VAE.</param>
    /// <param name="data">Binary vectors, shape (N, D) with N ≥ 1.</param>
    /// <param name="samples">Importance samples per example, K ≥ 1.</param>
    /// <param name="generator">Source of the draws.</param>
    /// <param name="batchSize">Examples per forward pass; part of what decides the draws.</param>
    public static double MeanNllEstimate(LatentVariableModel model, Tensor data, int samples, Generator generator, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Rank != 2 || data.Size(0) == 0)
        {
            throw new ArgumentException($"MeanNllEstimate: data must be a non-empty batch (N, {model.Dimensions}), got shape {Tensor.FormatShape(data.Shape)}.", nameof(data));
        }
        double total = 0;
        for (var start = 0; start < data.Size(0); start += batchSize)
        {
            var batch = data.Narrow(0, start, Math.Min(batchSize, data.Size(0) - start));
            foreach (var logProb in model.LogProbEstimate(batch, samples, generator).ToArray())
            {
                total -= logProb;
            }
        }
        return total / data.Size(0);
    }
}
