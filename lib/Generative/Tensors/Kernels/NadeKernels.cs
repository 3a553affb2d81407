using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The kernels of NADE's conditionals, span in and destination out, with hand-derived backward passes: the O(N D H)
/// computation of <c>Models.Nade</c> without an autograd node per pixel. The ops that record them for autograd are
/// <see cref="Tensor.NadeLogits"/> and <see cref="Tensor.NadeNegativeLogLikelihood"/>.
/// </summary>
/// <remarks>
/// <para>
/// For each example x (a row of <c>inputs</c>) and each dimension d, with tied weights W (H, D), hidden bias c (H),
/// output weights V (D, H) and output bias b (D):
/// <code>
/// a_d = c + Σ_{j&lt;d} W[:, j] x_j        (so a_0 = c and a_{d+1} = a_d + W[:, d] x_d: O(H) per step)
/// h_d = σ(a_d)
/// logit_d = b_d + V[d, :] · h_d
/// </code>
/// Composed from tensor ops this is a loop of D steps, each a handful of ops on (N, H) tensors and each recorded for
/// autograd (PyTorch's pixel-by-pixel NADE), or one pass over an (N, D, H) tensor of cumulative sums that does not
/// fit in cache (PyTorch's vectorised NADE). Here one sweep over d keeps a chunk of examples' a_d in cache and
/// fuses the sigmoid with the dot product, so the (N, D, H) activations are never stored.
/// </para>
/// <para>
/// Backward, given γ_d = ∂L/∂logit_d (per example):
/// <code>
/// ∂L/∂b_d = Σ_n γ_d        ∂L/∂V[d, :] = Σ_n γ_d h_d        δ_d = ∂L/∂a_d = γ_d V[d, :] ⊙ h_d ⊙ (1 − h_d)
/// ∂L/∂c = Σ_n Σ_d δ_d      ∂L/∂W[:, j] = Σ_n x_j Σ_{d&gt;j} δ_d     ∂L/∂x_j = W[:, j] · Σ_{d&gt;j} δ_d
/// </code>
/// The suffix sums Σ_{d&gt;j} δ_d are written as T − P_j with the prefix P_j = Σ_{d≤j} δ_d and the total T = P_{D−1},
/// so the backward pass is the same forward sweep (recomputing h_d instead of storing it): it accumulates P, adds
/// −x_j P_j to ∂L/∂W[:, j] where x_j ≠ 0 (binary images make this sparse), and finishes with the dense products
/// xᵀ T and T Wᵀ as two GEMMs. For NADE's own loss, Σ_d BCE(logit_d, x_d), γ_d = σ(logit_d) − x_d is known as soon
/// as logit_d is, so <see cref="ForwardBackwardNll"/> does forward and backward in that one sweep.
/// Checked against central finite differences in tests/Generative.Tests/Models/NadeKernelsTests.cs.
/// </para>
/// <para>
/// Layout: the kernels work on copies of W (transposed, so W[:, j] is a row), V and c whose rows are padded with
/// zeros to a multiple of 16 floats, so every row loop is whole SIMD vectors of any width (a padded unit has σ(0) = ½ but a zero
/// output weight and a zero input weight, so it changes nothing). Threads: examples are split into at most
/// <see cref="MaxSlots"/> fixed slots (a function of N alone) whose gradients are accumulated separately and added
/// in slot order, so results are bit-identical for any <see cref="WorkerPool.MaxDegreeOfParallelism"/>.
/// </para>
/// </remarks>
internal static unsafe class NadeKernels
{
    /// <summary>Examples swept together over d: their a_d, P and h_d stay in the L2 cache.</summary>
    internal const int ChunkSize = 32;

    /// <summary>The most gradient accumulators the examples are split over (and so the most threads used).</summary>
    internal const int MaxSlots = 4;

    /// <summary>Rows are padded to a multiple of this many floats (one Vector512).</summary>
    private const int RowAlignment = 16;

    /// <summary>Below this many multiply-adds (N D H) a call runs on the calling thread alone.</summary>
    private const long ParallelWork = 1 << 20;

    /// <summary>
    /// logits[n, j] = b_j + V[j, :] · σ(c + Σ_{i&lt;j} W[:, i] x[n, i]) for every example n and dimension j.
    /// </summary>
    /// <param name="x">(N, D) inputs.</param>
    /// <param name="weight">W, (H, D).</param>
    /// <param name="hiddenBias">c, (H).</param>
    /// <param name="outputWeight">V, (D, H).</param>
    /// <param name="outputBias">b, (D).</param>
    /// <param name="logits">(N, D), overwritten.</param>
    /// <param name="n">N.</param>
    /// <param name="d">D.</param>
    /// <param name="h">H.</param>
    internal static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> hiddenBias,
        ReadOnlySpan<float> outputWeight, ReadOnlySpan<float> outputBias, Span<float> logits, int n, int d, int h)
    {
        CheckLengths(x, weight, hiddenBias, outputWeight, outputBias, n, d, h);
        if (logits.Length < n * d)
        {
            throw new ArgumentException($"NadeKernels.Forward: logits has {logits.Length} elements, fewer than N D = {n * d}.", nameof(logits));
        }
        if (n == 0 || d == 0)
        {
            return;
        }
        using var padded = new PaddedParameters(weight, hiddenBias, outputWeight, d, h);
        var hp = padded.Stride;
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        var parts = (long)n * d * h >= ParallelWork ? Math.Max(1, Math.Min(chunks, WorkerPool.MaxDegreeOfParallelism)) : 1;
        var scratch = ArrayPool<float>.Shared.Rent(parts * ChunkSize * hp);
        try
        {
            fixed (float* px = x, pw = padded.WeightT, pc = padded.HiddenBias, pv = padded.OutputWeight, pb = outputBias, pl = logits, ps = scratch)
            {
                var job = new Job
                {
                    X = px, WeightT = pw, HiddenBias = pc, OutputWeight = pv, OutputBias = pb, Logits = pl, Scratch = ps,
                    N = n, D = d, Hp = hp, Parts = parts,
                };
                WorkerPool.Run(&ForwardPart, &job, parts);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The gradients of a loss L with respect to every argument of <see cref="Forward"/>, given
    /// <paramref name="gradLogits"/> = ∂L/∂logits; every destination is overwritten.
    /// </summary>
    /// <param name="gradLogits">(N, D).</param>
    /// <param name="x">(N, D) inputs, as given to <see cref="Forward"/>.</param>
    /// <param name="weight">W, (H, D).</param>
    /// <param name="hiddenBias">c, (H).</param>
    /// <param name="outputWeight">V, (D, H).</param>
    /// <param name="gradWeight">∂L/∂W, (H, D).</param>
    /// <param name="gradHiddenBias">∂L/∂c, (H).</param>
    /// <param name="gradOutputWeight">∂L/∂V, (D, H).</param>
    /// <param name="gradOutputBias">∂L/∂b, (D).</param>
    /// <param name="gradX">∂L/∂x, (N, D); empty to skip it.</param>
    /// <param name="n">N.</param>
    /// <param name="d">D.</param>
    /// <param name="h">H.</param>
    internal static void Backward(ReadOnlySpan<float> gradLogits, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> hiddenBias, ReadOnlySpan<float> outputWeight, Span<float> gradWeight, Span<float> gradHiddenBias,
        Span<float> gradOutputWeight, Span<float> gradOutputBias, Span<float> gradX, int n, int d, int h)
    {
        if (gradLogits.Length < n * d)
        {
            throw new ArgumentException("NadeKernels.Backward: gradLogits is shorter than N D.", nameof(gradLogits));
        }
        Sweep(gradLogits, x, weight, hiddenBias, outputWeight, ReadOnlySpan<float>.Empty, Span<float>.Empty, Span<float>.Empty,
            gradWeight, gradHiddenBias, gradOutputWeight, gradOutputBias, gradX, n, d, h);
    }

    /// <summary>
    /// The forward pass and the backward pass of L = Σ_n Σ_d BCE(logit[n, d], x[n, d]) in one sweep: the logits, each
    /// example's negative log-likelihood, and the gradients of L with respect to the parameters (every destination
    /// overwritten). As ∂L/∂logit_d = σ(logit_d) − x_d is known as soon as logit_d is, h_d is computed once.
    /// </summary>
    /// <param name="x">(N, D) inputs, which are also the targets.</param>
    /// <param name="weight">W, (H, D).</param>
    /// <param name="hiddenBias">c, (H).</param>
    /// <param name="outputWeight">V, (D, H).</param>
    /// <param name="outputBias">b, (D).</param>
    /// <param name="logits">(N, D), overwritten.</param>
    /// <param name="negativeLogLikelihoods">(N), overwritten: −log p(x_n) in nats.</param>
    /// <param name="gradWeight">∂L/∂W, (H, D).</param>
    /// <param name="gradHiddenBias">∂L/∂c, (H).</param>
    /// <param name="gradOutputWeight">∂L/∂V, (D, H).</param>
    /// <param name="gradOutputBias">∂L/∂b, (D).</param>
    /// <param name="n">N.</param>
    /// <param name="d">D.</param>
    /// <param name="h">H.</param>
    internal static void ForwardBackwardNll(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> hiddenBias,
        ReadOnlySpan<float> outputWeight, ReadOnlySpan<float> outputBias, Span<float> logits, Span<float> negativeLogLikelihoods,
        Span<float> gradWeight, Span<float> gradHiddenBias, Span<float> gradOutputWeight, Span<float> gradOutputBias, int n, int d, int h)
    {
        if (logits.Length < n * d || negativeLogLikelihoods.Length < n || outputBias.Length < d)
        {
            throw new ArgumentException("NadeKernels.ForwardBackwardNll: logits, negativeLogLikelihoods or outputBias is shorter than its shape requires.");
        }
        Sweep(ReadOnlySpan<float>.Empty, x, weight, hiddenBias, outputWeight, outputBias, logits, negativeLogLikelihoods,
            gradWeight, gradHiddenBias, gradOutputWeight, gradOutputBias, Span<float>.Empty, n, d, h);
    }

    /// <summary>Σ_d BCE(logit_d, x_d), each term from <see cref="BinaryCrossEntropyKernel.WithLogits"/>, added in order.</summary>
    internal static float BinaryCrossEntropySum(ReadOnlySpan<float> logits, ReadOnlySpan<float> x)
    {
        var rented = ArrayPool<float>.Shared.Rent(logits.Length);
        var losses = rented.AsSpan(0, logits.Length);
        BinaryCrossEntropyKernel.WithLogits(logits, x[..logits.Length], losses);
        var total = 0f;
        foreach (var loss in losses)
        {
            total += loss;   // in order of d, as the fused sweep adds them
        }
        ArrayPool<float>.Shared.Return(rented);
        return total;
    }

    /// <summary>One conditional's logit from the running pre-activation a_d (the state a sampler carries):
    /// b_d + V[d, :] · σ(a_d).</summary>
    internal static float StepLogit(ReadOnlySpan<float> preActivation, ReadOnlySpan<float> outputWeightRow, float outputBias)
    {
        var rented = ArrayPool<float>.Shared.Rent(preActivation.Length);
        var hidden = rented.AsSpan(0, preActivation.Length);
        Reproducible.Sigmoid(preActivation, hidden);
        var logit = outputBias + Reproducible.Dot(outputWeightRow[..hidden.Length], hidden);
        ArrayPool<float>.Shared.Return(rented);
        return logit;
    }

    /// <summary>Out-of-place transpose of a row-major (rows, columns) matrix into (columns, rows) with row stride
    /// <paramref name="destinationStride"/> (≥ rows), in cache blocks.</summary>
    internal static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination, int destinationStride)
    {
        const int Block = 32;
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var r1 = Math.Min(rows, r0 + Block);
            for (var c0 = 0; c0 < columns; c0 += Block)
            {
                var c1 = Math.Min(columns, c0 + Block);
                for (var r = r0; r < r1; r++)
                {
                    var row = source.Slice(r * columns, columns);
                    for (var c = c0; c < c1; c++)
                    {
                        destination[c * destinationStride + r] = row[c];
                    }
                }
            }
        }
    }

    /// <summary>The backward sweep; fused with the forward pass and the loss when <paramref name="gradLogits"/> is
    /// empty (then <paramref name="outputBias"/>, <paramref name="logits"/> and <paramref name="negativeLogLikelihoods"/>
    /// are used).</summary>
    private static void Sweep(ReadOnlySpan<float> gradLogits, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> hiddenBias, ReadOnlySpan<float> outputWeight, ReadOnlySpan<float> outputBias, Span<float> logits,
        Span<float> negativeLogLikelihoods, Span<float> gradWeight, Span<float> gradHiddenBias,
        Span<float> gradOutputWeight, Span<float> gradOutputBias, Span<float> gradX, int n, int d, int h)
    {
        var fused = gradLogits.IsEmpty;
        CheckLengths(x, weight, hiddenBias, outputWeight, fused ? outputBias : gradOutputBias, n, d, h);
        if (gradWeight.Length < d * h || gradHiddenBias.Length < h || gradOutputWeight.Length < d * h || gradOutputBias.Length < d
            || (!gradX.IsEmpty && gradX.Length < n * d))
        {
            throw new ArgumentException("NadeKernels: a gradient span is shorter than its shape requires.");
        }
        gradWeight[..(h * d)].Clear();
        gradOutputWeight[..(d * h)].Clear();
        gradOutputBias[..d].Clear();
        gradHiddenBias[..h].Clear();
        if (!gradX.IsEmpty)
        {
            gradX[..(n * d)].Clear();
        }
        if (fused)
        {
            negativeLogLikelihoods[..n].Clear();
        }
        if (n == 0 || d == 0)
        {
            return;
        }
        using var padded = new PaddedParameters(weight, hiddenBias, outputWeight, d, h);
        var hp = padded.Stride;
        // Fixed slots (a function of n only), each with its own accumulators, added up in slot order afterwards.
        var slots = Math.Min(MaxSlots, (n + ChunkSize - 1) / ChunkSize);
        var parts = (long)n * d * h >= ParallelWork ? Math.Max(1, Math.Min(slots, WorkerPool.MaxDegreeOfParallelism)) : 1;
        var slotLength = 2 * d * hp + d;
        var partLength = 2 * ChunkSize * hp + 3 * ChunkSize;
        var slotScratch = ArrayPool<float>.Shared.Rent(slots * slotLength);
        var partScratch = ArrayPool<float>.Shared.Rent(parts * partLength);
        var totals = ArrayPool<float>.Shared.Rent(n * hp); // P per example, T once the sweep is done
        try
        {
            slotScratch.AsSpan(0, slots * slotLength).Clear();
            totals.AsSpan(0, n * hp).Clear();
            fixed (float* pg = gradLogits, px = x, pw = padded.WeightT, pc = padded.HiddenBias, pv = padded.OutputWeight, pb = outputBias,
                   pl = logits, pnll = negativeLogLikelihoods, pgx = gradX, pslots = slotScratch, pparts = partScratch, ptotals = totals)
            {
                var job = new Job
                {
                    GradLogits = fused ? null : pg, X = px, WeightT = pw, HiddenBias = pc, OutputWeight = pv, OutputBias = pb,
                    Logits = pl, Nll = pnll, GradX = gradX.IsEmpty ? null : pgx, SlotScratch = pslots, Scratch = pparts, Totals = ptotals,
                    N = n, D = d, Hp = hp, Parts = parts, Slots = slots,
                };
                WorkerPool.Run(&SweepPart, &job, parts);
            }
            var gradWeightT = slotScratch.AsSpan(0, d * hp);       // slot 0's accumulators gather the sums
            var gradV = slotScratch.AsSpan(d * hp, d * hp);
            var gradB = slotScratch.AsSpan(2 * d * hp, d);
            for (var s = 1; s < slots; s++)
            {
                var slot = slotScratch.AsSpan(s * slotLength, slotLength);
                TensorPrimitives.Add(gradWeightT, slot[..(d * hp)], gradWeightT);
                TensorPrimitives.Add(gradV, slot.Slice(d * hp, d * hp), gradV);
                TensorPrimitives.Add(gradB, slot.Slice(2 * d * hp, d), gradB);
            }
            var t = totals.AsSpan(0, n * hp);
            // ∂L/∂Wᵀ[j, :] += Σ_n x[n, j] T[n, :]   (the sweep added −x_j P_j)
            Gemm.Multiply(true, false, d, hp, n, 1f, x, d, t, hp, 1f, gradWeightT, hp);
            // ∂L/∂c = Σ_n T[n, :]
            for (var e = 0; e < n; e++)
            {
                TensorPrimitives.Add(gradHiddenBias[..h], t.Slice(e * hp, h), gradHiddenBias[..h]);
            }
            if (!gradX.IsEmpty)
            {
                // ∂L/∂x[n, j] += T[n, :] · W[:, j]   (the sweep added −P_j · W[:, j]; padded units have W = 0)
                Gemm.Multiply(false, true, n, d, hp, 1f, t, hp, padded.WeightT.AsSpan(0, d * hp), hp, 1f, gradX, d);
            }
            Transpose(gradWeightT, d, h, gradWeight, d, hp);
            for (var j = 0; j < d; j++)
            {
                gradV.Slice(j * hp, h).CopyTo(gradOutputWeight.Slice(j * h, h));
            }
            gradB.CopyTo(gradOutputBias);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(slotScratch);
            ArrayPool<float>.Shared.Return(partScratch);
            ArrayPool<float>.Shared.Return(totals);
        }
    }

    /// <summary>Transposes the first <paramref name="columns"/> columns of a (rows, sourceStride) matrix into a dense
    /// (columns, rows) one.</summary>
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination, int destinationColumns, int sourceStride)
    {
        const int Block = 32;
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var r1 = Math.Min(rows, r0 + Block);
            for (var c0 = 0; c0 < columns; c0 += Block)
            {
                var c1 = Math.Min(columns, c0 + Block);
                for (var r = r0; r < r1; r++)
                {
                    var row = source.Slice(r * sourceStride, columns);
                    for (var c = c0; c < c1; c++)
                    {
                        destination[c * destinationColumns + r] = row[c];
                    }
                }
            }
        }
    }

    /// <summary>Zero-padded working copies of the parameters: Wᵀ (D, Hp), V (D, Hp), c (Hp), with Hp = H rounded up
    /// to <see cref="RowAlignment"/>; pooled.</summary>
    private readonly struct PaddedParameters : IDisposable
    {
        public PaddedParameters(ReadOnlySpan<float> weight, ReadOnlySpan<float> hiddenBias, ReadOnlySpan<float> outputWeight, int d, int h)
        {
            Stride = Math.Max(RowAlignment, (h + RowAlignment - 1) / RowAlignment * RowAlignment);
            WeightT = ArrayPool<float>.Shared.Rent(d * Stride);
            OutputWeight = ArrayPool<float>.Shared.Rent(d * Stride);
            HiddenBias = ArrayPool<float>.Shared.Rent(Stride);
            WeightT.AsSpan(0, d * Stride).Clear();
            OutputWeight.AsSpan(0, d * Stride).Clear();
            HiddenBias.AsSpan(0, Stride).Clear();
            Transpose(weight, h, d, WeightT, Stride);
            for (var j = 0; j < d; j++)
            {
                outputWeight.Slice(j * h, h).CopyTo(OutputWeight.AsSpan(j * Stride, h));
            }
            hiddenBias[..h].CopyTo(HiddenBias);
        }

        public int Stride { get; }

        public float[] WeightT { get; }

        public float[] OutputWeight { get; }

        public float[] HiddenBias { get; }

        public void Dispose()
        {
            ArrayPool<float>.Shared.Return(WeightT);
            ArrayPool<float>.Shared.Return(OutputWeight);
            ArrayPool<float>.Shared.Return(HiddenBias);
        }
    }

    private struct Job
    {
        public float* X, WeightT, HiddenBias, OutputWeight, OutputBias, Logits, Nll, Scratch;
        public float* GradLogits, GradX, SlotScratch, Totals;
        public int N, D, Hp, Parts, Slots;
    }

    // The parts the pool runs, each calling its instantiation for this processor's width (see Simd). Called directly,
    // rather than taking a function pointer to the generic method, which the runtime then never promotes past tier 0
    // and on-stack replacement (measured: NADE at half speed on AVX2).
    private static void ForwardPart(void* state, int part)
    {
        if (Simd.Use512) ForwardPart<Simd512>(state, part); else if (Simd.Use256) ForwardPart<Simd256>(state, part); else ForwardPart<Simd128>(state, part);
    }

    private static void SweepPart(void* state, int part)
    {
        if (Simd.Use512) SweepPart<Simd512>(state, part); else if (Simd.Use256) SweepPart<Simd256>(state, part); else SweepPart<Simd128>(state, part);
    }

    private static void ForwardPart<T>(void* state, int part) where T : unmanaged, ISimd<T>
    {
        var job = (Job*)state;
        int n = job->N, d = job->D, hp = job->Hp;
        var a = job->Scratch + (nint)part * ChunkSize * hp;
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        for (var chunk = part; chunk < chunks; chunk += job->Parts)
        {
            var first = chunk * ChunkSize;
            var count = Math.Min(ChunkSize, n - first);
            for (var r = 0; r < count; r++)
            {
                new ReadOnlySpan<float>(job->HiddenBias, hp).CopyTo(new Span<float>(a + (nint)r * hp, hp));
            }
            for (var j = 0; j < d; j++)
            {
                var v = job->OutputWeight + (nint)j * hp;
                var w = job->WeightT + (nint)j * hp;
                var bias = job->OutputBias[j];
                for (var r = 0; r < count; r++)
                {
                    var e = (nint)(first + r) * d + j;
                    var ar = a + (nint)r * hp;
                    job->Logits[e] = bias + SigmoidDot<T>(ar, v, null, hp);
                    var xv = job->X[e];
                    if (xv != 0f && j + 1 < d)
                    {
                        Axpy<T>(ar, w, xv, hp);
                    }
                }
            }
        }
    }

    private static void SweepPart<T>(void* state, int part) where T : unmanaged, ISimd<T>
    {
        var job = (Job*)state;
        int n = job->N, d = job->D, hp = job->Hp;
        var a = job->Scratch + (nint)part * (2 * ChunkSize * hp + 3 * ChunkSize);
        var hidden = a + (nint)ChunkSize * hp;           // h_d of each example of the chunk (fused sweep)
        var chunkLogits = hidden + (nint)ChunkSize * hp;  // per example of the chunk: logit_d,
        var chunkX = chunkLogits + ChunkSize;             // x_d,
        var chunkGrad = chunkX + ChunkSize;               // ∂L/∂logit_d
        var fused = job->GradLogits is null;
        for (var slot = part; slot < job->Slots; slot += job->Parts)
        {
            var s = job->SlotScratch + (nint)slot * (2 * d * hp + d);
            float* gradW = s, gradV = s + (nint)d * hp, gradB = s + 2 * (nint)d * hp;
            var begin = (int)((long)n * slot / job->Slots);
            var end = (int)((long)n * (slot + 1) / job->Slots);
            for (var first = begin; first < end; first += ChunkSize)
            {
                var count = Math.Min(ChunkSize, end - first);
                var prefix = job->Totals + (nint)first * hp; // P rows of these examples (zero on entry)
                for (var r = 0; r < count; r++)
                {
                    new ReadOnlySpan<float>(job->HiddenBias, hp).CopyTo(new Span<float>(a + (nint)r * hp, hp));
                }
                for (var j = 0; j < d; j++)
                {
                    var v = job->OutputWeight + (nint)j * hp;
                    var w = job->WeightT + (nint)j * hp;
                    var gv = gradV + (nint)j * hp;
                    var gw = gradW + (nint)j * hp;
                    for (var r = 0; r < count; r++)
                    {
                        var e = (nint)(first + r) * d + j;
                        chunkX[r] = job->X[e];
                        chunkGrad[r] = fused ? 0f : job->GradLogits[e];
                    }
                    if (fused)
                    {
                        // logit_d for the whole chunk (keeping h_d), then its loss and ∂loss/∂logit_d = σ(logit_d) − x_d
                        var bias = job->OutputBias[j];
                        for (var r = 0; r < count; r++)
                        {
                            chunkLogits[r] = bias + SigmoidDot<T>(a + (nint)r * hp, v, hidden + (nint)r * hp, hp);
                            job->Logits[(nint)(first + r) * d + j] = chunkLogits[r];
                        }
                        LossAndGradient(chunkLogits, chunkX, chunkGrad, job->Nll + first, count);
                    }
                    var biasGrad = 0f;
                    for (var r = 0; r < count; r++)
                    {
                        var g = chunkGrad[r];
                        var pr = prefix + (nint)r * hp;
                        if (g != 0f)
                        {
                            if (fused)
                            {
                                BackwardRowFromHidden<T>(hidden + (nint)r * hp, v, g, gv, pr, hp);
                            }
                            else
                            {
                                BackwardRow<T>(a + (nint)r * hp, v, g, gv, pr, hp);
                            }
                            biasGrad += g;
                        }
                        var xv = chunkX[r];
                        if (xv != 0f)
                        {
                            SparseRow<T>(a + (nint)r * hp, w, gw, pr, xv, hp);
                        }
                        if (job->GradX is not null)
                        {
                            job->GradX[(nint)(first + r) * d + j] = -Dot(w, pr, hp);
                        }
                    }
                    gradB[j] += biasGrad;
                }
            }
        }
    }

    /// <summary>For each of <paramref name="count"/> examples: nll += BCE(logit, x); grad = σ(logit) − x.</summary>
    private static void LossAndGradient(float* logits, float* x, float* grad, float* nll, int count)
    {
        var z = new ReadOnlySpan<float>(logits, count);
        var y = new ReadOnlySpan<float>(x, count);
        var g = new Span<float>(grad, count);
        Span<float> loss = stackalloc float[ChunkSize];
        loss = loss[..count];
        BinaryCrossEntropyKernel.WithLogits(z, y, loss);
        var total = new Span<float>(nll, count);
        TensorPrimitives.Add(total, loss, total);
        BinaryCrossEntropyKernel.WithLogitsGradient(z, y, g);
    }

    // ---- row kernels over whole rows (padded to a multiple of 16 floats, so a whole number of vectors at any width),
    // written once over ISimd and compiled for 16, 8 or 4 lanes (Simd512, Simd256, Simd128): every update is one fused
    // multiply-add per lane (exact everywhere, see ExactFma), the sigmoid is Reproducible's, and the one reduction uses
    // Reproducible's 16 logical lanes, so the results are the same bits whatever the width. ----

    /// <summary>Σ_i σ(a_i) v_i, summed in <see cref="Reproducible.Lanes"/> logical lanes (one fused multiply-add each)
    /// and combined by <see cref="Reproducible.CombineLanes"/>; σ(a) is also stored in <paramref name="hidden"/> unless it is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SigmoidDot<T>(float* a, float* v, float* hidden, int hp) where T : unmanaged, ISimd<T>
    {
        var lanes = stackalloc float[Reproducible.Lanes];
        if (T.Count == Reproducible.Lanes)
        {
            var sum = T.Create(0f);
            for (var i = 0; i < hp; i += Reproducible.Lanes)
            {
                sum = SigmoidTimesPlus<T>(a + i, v + i, hidden, i, sum);
            }
            sum.Store(lanes);
        }
        else if (T.Count * 2 == Reproducible.Lanes)
        {
            T lanes0To7 = T.Create(0f), lanes8To15 = T.Create(0f);
            for (var i = 0; i < hp; i += Reproducible.Lanes)
            {
                lanes0To7 = SigmoidTimesPlus<T>(a + i, v + i, hidden, i, lanes0To7);
                lanes8To15 = SigmoidTimesPlus<T>(a + i + 8, v + i + 8, hidden, i + 8, lanes8To15);
            }
            lanes0To7.Store(lanes);
            lanes8To15.Store(lanes + 8);
        }
        else
        {
            new Span<float>(lanes, Reproducible.Lanes).Clear();
            for (var i = 0; i < hp; i += Reproducible.Lanes)
            {
                for (var j = 0; j < Reproducible.Lanes; j += T.Count)
                {
                    SigmoidTimesPlus<T>(a + i + j, v + i + j, hidden, i + j, T.Load(lanes + j)).Store(lanes + j);
                }
            }
        }
        return Reproducible.CombineLanes(new Span<float>(lanes, Reproducible.Lanes));
    }

    /// <summary>σ(a) v + sum for one vector, storing σ(a) at hidden + offset unless hidden is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SigmoidTimesPlus<T>(float* a, float* v, float* hidden, int offset, T sum) where T : unmanaged, ISimd<T>
    {
        var s = Reproducible.Sigmoid(T.Load(a));
        if (hidden is not null)
        {
            s.Store(hidden + offset);
        }
        return T.MultiplyAdd(s, T.Load(v), sum);
    }

    /// <summary>a += s · w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy<T>(float* a, float* w, float s, int hp) where T : unmanaged, ISimd<T>
    {
        var scale = T.Create(s);
        for (var i = 0; i < hp; i += T.Count)
        {
            T.MultiplyAdd(T.Load(w + i), scale, T.Load(a + i)).Store(a + i);
        }
    }

    /// <summary>Σ_i w_i p_i.</summary>
    private static float Dot(float* w, float* p, int hp) =>
        Reproducible.Dot(new ReadOnlySpan<float>(w, hp), new ReadOnlySpan<float>(p, hp));

    /// <summary>With s = σ(a): gv += g s; p += g v ⊙ s ⊙ (1 − s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardRow<T>(float* a, float* v, float g, float* gv, float* p, int hp) where T : unmanaged, ISimd<T>
    {
        for (var i = 0; i < hp; i += T.Count)
        {
            BackwardStep(Reproducible.Sigmoid(T.Load(a + i)), v + i, T.Create(g), gv + i, p + i);
        }
    }

    /// <summary>Given s = σ(a) in <paramref name="hidden"/>: gv += g s; p += g v ⊙ s ⊙ (1 − s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardRowFromHidden<T>(float* hidden, float* v, float g, float* gv, float* p, int hp) where T : unmanaged, ISimd<T>
    {
        for (var i = 0; i < hp; i += T.Count)
        {
            BackwardStep(T.Load(hidden + i), v + i, T.Create(g), gv + i, p + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardStep<T>(T s, float* v, T scale, float* gv, float* p) where T : unmanaged, ISimd<T>
    {
        T.MultiplyAdd(s, scale, T.Load(gv)).Store(gv);
        T.MultiplyAdd(scale * T.Load(v), s - s * s, T.Load(p)).Store(p);
    }

    /// <summary>a += x w; gw −= x p (the input x_j ≠ 0 enters every later a and the prefix part of ∂L/∂W[:, j]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SparseRow<T>(float* a, float* w, float* gw, float* p, float x, int hp) where T : unmanaged, ISimd<T>
    {
        var scale = T.Create(x);
        for (var i = 0; i < hp; i += T.Count)
        {
            T.MultiplyAdd(T.Load(w + i), scale, T.Load(a + i)).Store(a + i);
            T.MultiplyAdd(-T.Load(p + i), scale, T.Load(gw + i)).Store(gw + i);
        }
    }

    private static void CheckLengths(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> hiddenBias,
        ReadOnlySpan<float> outputWeight, ReadOnlySpan<float> outputBias, int n, int d, int h)
    {
        if (n < 0 || d < 0 || h < 0 || x.Length < n * d || weight.Length < h * d || hiddenBias.Length < h
            || outputWeight.Length < d * h || outputBias.Length < d)
        {
            throw new ArgumentException($"NadeKernels: a span is shorter than N = {n}, D = {d}, H = {h} require.");
        }
    }
}
